package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.lifecycle.StoryboardDecisions;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.api.StoryboardRejection;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Rejects the storyboard a review job waits with: {@code cancel} ends the job, {@code reroll}
 * renders its anchors again with a new seed and waits again.
 */
@Path("/api/v1/renders/{id}/reject")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "renders")
@RequiresScope(ApiScope.SUBMIT)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class StoryboardRejectResource {
  private final Storyboards storyboards;
  private final StoryboardDecisions decisions;
  private final ObjectMapper mapper;

  public StoryboardRejectResource(
      Database db,
      RenderRepository repo,
      ReviewRepository reviews,
      ArtifactStore artifacts,
      AuditLog audit,
      JobEta eta,
      StoryboardDecisions decisions,
      ObjectMapper mapper) {
    this.storyboards = new Storyboards(db, repo, reviews, artifacts, audit, eta);
    this.decisions = decisions;
    this.mapper = mapper;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "rejectStoryboard",
      summary = "Reject a render's storyboard",
      description =
          "`{\"action\":\"cancel\"}` cancels the render (nothing more of it renders);"
              + " `{\"action\":\"reroll\",\"seed\":N}` renders its anchors again with seed N (absent:"
              + " a random one; the whole clip then renders with it) and waits for approval again."
              + " Answers the render as it is after the call.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = StoryboardRejection.class),
              examples = {
                @ExampleObject(name = "cancel", value = "{\"action\":\"cancel\"}"),
                @ExampleObject(name = "reroll", value = "{\"action\":\"reroll\",\"seed\":42}")
              }))
  @APIResponse(
      responseCode = "200",
      description = "The render after the rejection (CANCELLED, or RUNNING its new anchors)",
      content = @Content(schema = @Schema(implementation = RenderView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "NotAwaitingApproval")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public RenderView reject(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @Context SecurityContext security,
      String body) {
    UUID jobId = RenderResource.jobId(id);
    StoryboardRejection rejection = parse(body);
    var caller = AuthFilter.caller(security);
    if (rejection.action().equals("cancel"))
      return storyboards.decide(
          caller, jobId, "render.reject", Map.of("action", "cancel"), decisions::cancel);
    return storyboards.decide(
        caller,
        jobId,
        "render.reject",
        rejection.seed() == null
            ? Map.of("action", "reroll")
            : Map.of("action", "reroll", "seed", rejection.seed().toString()),
        job -> decisions.reroll(job, rejection.seed()));
  }

  /** The body, checked field by field (a 400 names the field at fault). */
  private StoryboardRejection parse(String body) {
    JsonNode root = RenderRequestParser.object(mapper, body, Set.of("action", "seed"), true);
    JsonNode action = root.get("action");
    if (action == null
        || !action.isTextual()
        || !(action.textValue().equals("cancel") || action.textValue().equals("reroll")))
      throw new InvalidRequestException("action", "must be \"cancel\" or \"reroll\"");
    Optional<Long> seed = RenderRequestParser.seed(root);
    if (seed.isPresent() && action.textValue().equals("cancel"))
      throw new InvalidRequestException("seed", "only a reroll takes a seed");
    return new StoryboardRejection(action.textValue(), seed.orElse(null));
  }
}
