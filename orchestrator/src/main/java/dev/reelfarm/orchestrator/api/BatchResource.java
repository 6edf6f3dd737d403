package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.auth.SubmitRateLimiter;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.lifecycle.BatchRequests;
import dev.reelfarm.orchestrator.lifecycle.RenderSubmissions;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.orchestrator.persistence.BatchRepository;
import dev.reelfarm.orchestrator.persistence.BatchRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.submission.BatchRequest;
import dev.reelfarm.orchestrator.submission.BatchRequestParser;
import dev.reelfarm.orchestrator.submission.PromptPolicies;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.orchestrator.webhooks.WebhookUrlGuard;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.BatchAccepted;
import dev.reelfarm.schema.api.BatchPage;
import dev.reelfarm.schema.api.BatchSubmission;
import dev.reelfarm.schema.api.BatchView;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.SequenceStatus;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Shot lists: several renders in one request, followed (and cancelled) as one. */
@Path("/api/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "batches")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class BatchResource {

  private final BatchRequests requests;
  private final BatchQueries queries;
  private final BatchRequestParser parser;
  private final WebhookUrlGuard webhooks;
  private final SubmitRateLimiter rateLimiter;
  private final ArtifactStore artifacts;
  private final PromptPolicies policies;

  public BatchResource(
      BatchRequests requests,
      Database db,
      BatchRepository batches,
      ObjectMapper mapper,
      ModelCatalog models,
      ReelfarmConfig config,
      WebhookUrlGuard webhooks,
      SubmitRateLimiter rateLimiter,
      ArtifactStore artifacts,
      PromptPolicies policies) {
    this.requests = requests;
    this.queries = new BatchQueries(db, batches);
    var shots = new RenderRequestParser(mapper, models, RenderRequestParser::freshSeed);
    this.parser =
        new BatchRequestParser(
            mapper, shots, config.batches().maxShots(), RenderRequestParser::freshSeed);
    this.webhooks = webhooks;
    this.rateLimiter = rateLimiter;
    this.artifacts = artifacts;
    this.policies = policies;
  }

  /** Queues one render per shot of the caller's team in one transaction; 202 (once per key). */
  @POST
  @RequiresScope(ApiScope.SUBMIT)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "submitBatch",
      summary = "Queue a shot list",
      description =
          "Stores the batch and one render per shot (each shot's fields over `defaults`; or"
              + " `variants` renders of the defaults' prompt with that many seeds) in one"
              + " transaction, under the team's quotas for all of them, before answering 202."
              + " `deliver: sequence` also encodes the shots in order into one MP4 once all have"
              + " succeeded (`transition` cut or dissolve, `transitionSeconds` default 0.5); its"
              + " shots share one preset. Bad input: 400 naming the field, e.g."
              + " `shots[1].durationSeconds`. A shot the team's prompt policy refuses refuses the"
              + " batch: 422 `prompt_refused` naming `shots[i].prompt` and the rule.")
  @Parameter(ref = "IdempotencyKey")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchSubmission.class),
              examples = @ExampleObject(name = "sequence", ref = "ThreeShotSequence")))
  @APIResponse(
      responseCode = "202",
      description = "Queued (or, with a reused Idempotency-Key, the first request's answer)",
      headers = {
        @Header(
            name = "Location",
            description = "The path of the batch",
            schema = @Schema(type = SchemaType.STRING)),
        @Header(name = "Idempotent-Replayed", ref = "IdempotentReplayed")
      },
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = BatchAccepted.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  @APIResponse(responseCode = "429", ref = "TooManyRequests")
  @APIResponse(
      responseCode = "422",
      ref = "Unprocessable",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  public Response submit(
      @HeaderParam(RenderSubmissions.HEADER) @Parameter(hidden = true) String idempotencyKey,
      @Context SecurityContext security,
      String body) {
    Caller caller = AuthFilter.caller(security);
    rateLimiter.acquire(caller);
    BatchRequest request = parser.parse(body);
    webhooks.checkOwnWebhook(request.webhook());
    // Every shot is a render: one the team's prompt policy refuses refuses the whole batch.
    for (int i = 0; i < request.shots().size(); i++)
      policies.check(
          caller.teamId(),
          caller.teamName(),
          caller.actor(),
          "shots[" + i + "].prompt",
          request.shots().get(i).prompt());
    return RenderResource.accepted(
        requests.submit(caller.teamId(), caller.actor(), idempotencyKey, body, request),
        "/api/v1/batches/");
  }

  @GET
  @Path("/{id}")
  @Operation(
      operationId = "getBatch",
      summary = "Get a batch",
      description =
          "Its status aggregated from its shots (QUEUED, RUNNING, ENCODING, SUCCEEDED, PARTIAL,"
              + " FAILED, CANCELLED), the shots' counts per render status, every shot, and for a"
              + " sequence its encode and where each shot starts in it.")
  @APIResponse(
      responseCode = "200",
      description = "The batch",
      content = @Content(schema = @Schema(implementation = BatchView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public BatchView get(
      @PathParam("id") @Parameter(ref = "BatchId") String id, @Context SecurityContext security) {
    return queries.view(AuthFilter.caller(security), BatchQueries.batchId(id));
  }

  @GET
  @Operation(
      operationId = "listBatches",
      summary = "List batches",
      description = "Newest first, paged: `next` is the `before` of the following page.")
  @APIResponse(
      responseCode = "200",
      description = "A page of batches",
      content = @Content(schema = @Schema(implementation = BatchPage.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  public BatchPage list(
      @QueryParam("limit") @Parameter(description = "Page size, 1-200 (default 20)") Integer limit,
      @QueryParam("before")
          @Parameter(description = "The `next` of the previous page (an ISO-8601 instant)")
          String before,
      @Context SecurityContext security) {
    return queries.list(AuthFilter.caller(security), limit, before);
  }

  @DELETE
  @Path("/{id}")
  @RequiresScope(ApiScope.CANCEL)
  @Operation(
      operationId = "cancelBatch",
      summary = "Cancel a batch",
      description =
          "Cancels every open shot (as a render's cancel does) and the sequence encode; shots"
              + " already finished keep their videos. Answers the batch as it is after the call.")
  @APIResponse(
      responseCode = "200",
      description = "The batch after the cancel",
      content = @Content(schema = @Schema(implementation = BatchView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public BatchView cancel(
      @PathParam("id") @Parameter(ref = "BatchId") String id, @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    UUID batchId = BatchQueries.batchId(id);
    queries.visible(caller, batchId);
    requests.cancel(batchId, caller.actor());
    return queries.view(caller, batchId);
  }

  @GET
  @Path("/{id}/video")
  @Produces("video/mp4")
  @Operation(
      operationId = "getBatchVideo",
      summary = "Download a sequence batch's video",
      description =
          "The one MP4 of a sequence batch's shots in order, once encoded; HTTP Range requests"
              + " are supported.")
  @APIResponse(
      responseCode = "200",
      description = "The MP4",
      content =
          @Content(
              mediaType = "video/mp4",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(
      responseCode = "206",
      description = "The requested range of the MP4",
      content =
          @Content(
              mediaType = "video/mp4",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(
      responseCode = "409",
      ref = "NotReady",
      content = @Content(schema = @Schema(implementation = ErrorBody.class)))
  @APIResponse(responseCode = "416", ref = "RangeNotSatisfiable")
  public Response video(
      @PathParam("id") @Parameter(ref = "BatchId") String id,
      @HeaderParam("Range") @Parameter(description = "e.g. `bytes=0-1023`") String range,
      @Context SecurityContext security) {
    BatchRow batch = queries.visible(AuthFilter.caller(security), BatchQueries.batchId(id));
    if (!batch.isSequence())
      return RenderFiles.notReady("batch " + id + " delivers clips: it has no sequence video");
    if (batch.sequence().status() != SequenceStatus.SUCCEEDED)
      return RenderFiles.notReady("batch " + id + "'s sequence is not encoded yet");
    return RenderFiles.send(
        artifacts, batch.sequence().videoUri(), range, "video/mp4", "batch " + id);
  }
}
