package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FeedbackRepository;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.FeedbackRequestParser;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.FeedbackList;
import dev.reelfarm.schema.api.FeedbackRequest;
import dev.reelfarm.schema.api.FeedbackView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Ratings of one render by whoever may see it (404 otherwise): one per API key, a second POST from
 * the same key replaces the first, so a person can change their mind without skewing the data. Only
 * a render with a video can be rated (409 before).
 */
@Path("/api/v1/renders/{id}/feedback")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "feedback")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class FeedbackResource {
  private final Database db;
  private final FeedbackRepository repo;
  private final RenderQueries renders;

  public FeedbackResource(Database db, FeedbackRepository repo, RenderRepository jobs, JobEta eta) {
    this.db = db;
    this.repo = repo;
    this.renders = new RenderQueries(db, jobs, eta);
  }

  @POST
  @RequiresScope(ApiScope.SUBMIT)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "rateRender",
      summary = "Rate a render",
      description =
          "Stores the calling API key's rating (1-5), tags and comment of a render that has its"
              + " video; the key's earlier rating of the render is replaced (200), a first one is"
              + " created (201). The feedback export (`GET /api/v1/feedback`) carries it with the"
              + " render's prompt, seed, parameters, model and video.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = FeedbackRequest.class)))
  @APIResponse(
      responseCode = "201",
      description = "The key's first rating of the render",
      headers = @Header(name = "Location", ref = "Location"),
      content = @Content(schema = @Schema(implementation = FeedbackView.class)))
  @APIResponse(
      responseCode = "200",
      description = "The key's earlier rating, replaced",
      content = @Content(schema = @Schema(implementation = FeedbackView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(
      responseCode = "409",
      ref = "NotReady",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public Response rate(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      String body,
      @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    UUID jobId = RenderResource.jobId(id);
    FeedbackRequest feedback = FeedbackRequestParser.parse(body);
    Rated rated =
        db.inTransaction(
            c -> {
              JobRow job = renders.visibleJob(c, caller, jobId);
              if (job.result().videoUri() == null) return new Rated(job, null);
              return new Rated(
                  job, repo.save(c, jobId, job.teamId(), caller.keyId(), feedback, build(job)));
            });
    if (rated.saved() == null)
      return ErrorMappers.json(
          409,
          new ErrorBody(
              "not_ready",
              null,
              "render " + id + " is " + rated.job().status() + ", it has no video to rate yet"));
    return Response.status(rated.saved().created() ? 201 : 200)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(rated.saved().feedback())
        .header("Location", "/api/v1/renders/" + jobId + "/feedback")
        .build();
  }

  /** A rating's job, and what was stored (null: the job has no video). */
  private record Rated(JobRow job, FeedbackRepository.Saved saved) {}

  @GET
  @RequiresScope(ApiScope.READ)
  @Operation(
      operationId = "listRenderFeedback",
      summary = "A render's feedback",
      description = "Every API key's rating of the render, newest first.")
  @APIResponse(
      responseCode = "200",
      description = "The feedback",
      content = @Content(schema = @Schema(implementation = FeedbackList.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public FeedbackList list(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    UUID jobId = RenderResource.jobId(id);
    return db.inTransaction(
        c -> {
          renders.visibleJob(c, caller, jobId);
          return new FeedbackList(repo.forJob(c, jobId));
        });
  }

  /** The bundle the job was planned with and pinned to (null for jobs from before V20). */
  private static FeedbackRepository.ModelBuild build(JobRow job) {
    return new FeedbackRepository.ModelBuild(job.spec().modelVersion(), job.spec().modelChecksum());
  }
}
