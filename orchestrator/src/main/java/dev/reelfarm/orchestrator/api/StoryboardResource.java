package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.StoryboardView;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An anchored render's keyframes, the storyboard a review job waits with for approval. */
@Path("/api/v1/renders/{id}/storyboard")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "renders")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class StoryboardResource {
  private final Storyboards storyboards;

  public StoryboardResource(
      Database db,
      RenderRepository repo,
      ReviewRepository reviews,
      ArtifactStore artifacts,
      AuditLog audit,
      JobEta eta) {
    this.storyboards = new Storyboards(db, repo, reviews, artifacts, audit, eta);
  }

  @GET
  @Operation(
      operationId = "getStoryboard",
      summary = "A render's storyboard",
      description =
          "The keyframes of an anchored render's anchor pass (one per infill boundary inside the"
              + " clip, with its native frame, time and image) once they are rendered; for a"
              + " render with `review: keyframes`, what it waits for approval with.")
  @APIResponse(
      responseCode = "200",
      description = "The storyboard",
      content = @Content(schema = @Schema(implementation = StoryboardView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "NoStoryboard")
  public StoryboardView storyboard(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    return storyboards.view(AuthFilter.caller(security), RenderResource.jobId(id));
  }

  @GET
  @Path("/{n}.png")
  @Produces("image/png")
  @Operation(
      operationId = "getStoryboardKeyframe",
      summary = "One keyframe of a render's storyboard",
      description =
          "Keyframe `n` (its `index` in the storyboard) as a PNG at the model's native size,"
              + " encoded from the anchor chunk's frames. `?seed=` in the listed URLs only busts"
              + " caches after a reroll.")
  @APIResponse(
      responseCode = "200",
      description = "The keyframe",
      content =
          @Content(
              mediaType = "image/png",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "NoStoryboard")
  public Response keyframe(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @PathParam("n") @Parameter(description = "The keyframe's index (0, 1, ...)") int n,
      @Context SecurityContext security) {
    return storyboards.png(AuthFilter.caller(security), RenderResource.jobId(id), n);
  }
}
