package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.lifecycle.StoryboardDecisions;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Approves the storyboard a review job waits with: its infills render. */
@Path("/api/v1/renders/{id}/approve")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "renders")
@RequiresScope(ApiScope.SUBMIT)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class StoryboardApproveResource {
  private final Storyboards storyboards;
  private final StoryboardDecisions decisions;

  public StoryboardApproveResource(
      Database db,
      RenderRepository repo,
      ReviewRepository reviews,
      ArtifactStore artifacts,
      AuditLog audit,
      JobEta eta,
      StoryboardDecisions decisions) {
    this.storyboards = new Storyboards(db, repo, reviews, artifacts, audit, eta);
    this.decisions = decisions;
  }

  @POST
  @Operation(
      operationId = "approveStoryboard",
      summary = "Approve a render's storyboard",
      description =
          "The render waits in AWAITING_APPROVAL with its keyframes (`GET …/storyboard`):"
              + " approving releases its infill chunks, and it renders on to SUCCEEDED. Answers"
              + " the render as it is after the call.")
  @APIResponse(
      responseCode = "200",
      description = "The render after the approval (RUNNING)",
      content = @Content(schema = @Schema(implementation = RenderView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "NotAwaitingApproval")
  public RenderView approve(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    return storyboards.decide(
        AuthFilter.caller(security),
        RenderResource.jobId(id),
        "render.approve",
        Map.of(),
        decisions::approve);
  }
}
