package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.auth.SubmitRateLimiter;
import dev.reelfarm.orchestrator.lifecycle.QueueControl;
import dev.reelfarm.orchestrator.lifecycle.RenderSubmissions;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.PromptPolicies;
import dev.reelfarm.orchestrator.webhooks.WebhookUrlGuard;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.TeamView;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Retrying a finished render: a new job of its stored request, submitted as {@code POST
 * /api/v1/renders} submits (rate limit, quotas, Idempotency-Key, audit).
 */
@Path("/api/v1/renders/{id}/retry")
@Tag(name = "renders")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class RenderRetryResource {
  private final RenderQueries queries;
  private final QueueControl control;
  private final WebhookUrlGuard webhooks;
  private final SubmitRateLimiter rateLimiter;
  private final PromptPolicies policies;
  private final Database db;
  private final TeamRepository teams;

  public RenderRetryResource(
      Database db,
      RenderRepository repo,
      JobEta eta,
      QueueControl control,
      WebhookUrlGuard webhooks,
      SubmitRateLimiter rateLimiter,
      PromptPolicies policies,
      TeamRepository teams) {
    this.queries = new RenderQueries(db, repo, eta);
    this.control = control;
    this.webhooks = webhooks;
    this.rateLimiter = rateLimiter;
    this.policies = policies;
    this.db = db;
    this.teams = teams;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @RequiresScope(ApiScope.SUBMIT)
  @Operation(
      operationId = "retryRender",
      summary = "Retry a finished render",
      description =
          "Queues a new render of a SUCCEEDED, FAILED or CANCELLED render's stored request (same"
              + " prompts, seed, duration, preset, steps, guidance, priority, mode, interpolation"
              + " and webhook; the farm's current build of its model; 409 naming `model` when it is gone); its view's `retryOf` is the original."
              + " As a submission: rate limit, quotas and Idempotency-Key apply. 409 while the"
              + " original is still open.")
  @Parameter(ref = "IdempotencyKey")
  @APIResponse(
      responseCode = "202",
      description =
          "The new render is queued (or, with a reused Idempotency-Key, the first answer)",
      headers = {
        @Header(name = "Location", ref = "Location"),
        @Header(name = "Idempotent-Replayed", ref = "IdempotentReplayed")
      },
      content = @Content(schema = @Schema(implementation = RenderAccepted.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "StateConflict")
  @APIResponse(responseCode = "422", ref = "Unprocessable")
  @APIResponse(responseCode = "429", ref = "TooManyRequests")
  public Response retry(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @HeaderParam(RenderSubmissions.HEADER) @Parameter(hidden = true) String idempotencyKey,
      @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    JobRow original = queries.visibleJob(caller, RenderResource.jobId(id));
    rateLimiter.acquire(caller);
    var request = webhooks.checkJobWebhook(control.storedRequest(original));
    // The retry is the original team's work (an admin may retry any team's render), checked
    // against that team's prompt policy as it is now.
    policies.check(
        original.teamId(), teamName(caller, original), caller.actor(), "prompt", request.prompt());
    return RenderResource.accepted(
        control.retry(original.teamId(), caller.actor(), idempotencyKey, original.id(), request),
        "/api/v1/renders/");
  }

  private String teamName(Caller caller, JobRow job) {
    if (job.teamId().equals(caller.teamId())) return caller.teamName();
    return db.inTransaction(c -> teams.find(c, job.teamId().toString()))
        .map(TeamView::name)
        .orElseThrow();
  }
}
