package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.auth.SubmitRateLimiter;
import dev.reelfarm.orchestrator.lifecycle.QueueControl;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.orchestrator.lifecycle.RenderSubmissions;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.PromptPolicies;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.orchestrator.webhooks.WebhookUrlGuard;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.PriorityChange;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.RenderPage;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.Set;
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

/** The render API (ARCHITECTURE.md §6). */
@Path("/api/v1/renders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "renders")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class RenderResource {
  private final RenderLifecycle lifecycle;
  private final RenderSubmissions submissions;
  private final Database db;
  private final RenderRequestParser parser;
  private final RenderFiles files;
  private final RenderQueries queries;
  private final WebhookUrlGuard webhooks;
  private final SubmitRateLimiter rateLimiter;
  private final AuditLog audit;
  private final PromptPolicies policies;
  private final QueueControl control;
  private final ObjectMapper mapper;

  public RenderResource(
      RenderLifecycle lifecycle,
      RenderSubmissions submissions,
      Database db,
      RenderRepository repo,
      ObjectMapper mapper,
      ModelCatalog models,
      JobEta eta,
      WebhookUrlGuard webhooks,
      ArtifactStore artifacts,
      SubmitRateLimiter rateLimiter,
      AuditLog audit,
      PromptPolicies policies,
      QueueControl control) {
    this.policies = policies;
    this.control = control;
    this.webhooks = webhooks;
    this.lifecycle = lifecycle;
    this.submissions = submissions;
    this.db = db;
    this.rateLimiter = rateLimiter;
    this.audit = audit;
    this.mapper = mapper;
    this.queries = new RenderQueries(db, repo, eta);
    this.parser = new RenderRequestParser(mapper, models, RenderRequestParser::freshSeed);
    this.files = new RenderFiles(db, repo, artifacts);
  }

  /** Queues a render of the caller's team; 202 with the job's id and links (once per key). */
  @POST
  @RequiresScope(ApiScope.SUBMIT)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "submitRender",
      summary = "Queue a render",
      description =
          "Plans the clip into chunks and commits the job, its plan and its first messages to"
              + " PostgreSQL before answering 202. Every field but `prompt` is optional:"
              + " `durationSeconds` 1-60 (default 4), `preset` tiktok|shorts|reels|landscape,"
              + " `steps` 1-100, `guidanceScale` 0-30, `priority` -100..100, `mode`"
              + " anchored|sequential|independent (default: the planner's choice), `review`"
              + " keyframes (wait in AWAITING_APPROVAL after the anchor pass; needs anchors),"
              + " `model` one of `GET /api/v1/models` (default: the farm's default; its bundle"
              + " fixes the native format, the chunk length and the defaults of `steps` and"
              + " `guidanceScale`; the job's chunks render only on workers that have it loaded). A"
              + " prompt the team's prompt policy refuses gets 422 `prompt_refused` naming the"
              + " `rule`.")
  @Parameter(ref = "IdempotencyKey")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RenderSubmission.class),
              examples = @ExampleObject(name = "tiktok", ref = "TiktokRender")))
  @APIResponse(
      responseCode = "202",
      description = "Queued (or, with a reused Idempotency-Key, the first request's answer)",
      headers = {
        @Header(name = "Location", ref = "Location"),
        @Header(name = "Idempotent-Replayed", ref = "IdempotentReplayed")
      },
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = RenderAccepted.class)))
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
    var request = webhooks.checkJobWebhook(parser.parse(body));
    policies.check(caller.teamId(), caller.teamName(), caller.actor(), "prompt", request.prompt());
    return accepted(
        submissions.submit(caller.teamId(), caller.actor(), idempotencyKey, body, request),
        "/api/v1/renders/");
  }

  /**
   * A submission's answer: its status and body, where the work is ({@code collection} + its id),
   * whether it is a replay.
   */
  static Response accepted(RenderSubmissions.Submitted submitted, String collection) {
    var response =
        Response.status(submitted.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(submitted.body())
            .header("Location", collection + submitted.id());
    if (submitted.replayed()) response.header("Idempotent-Replayed", "true");
    return response.build();
  }

  @GET
  @Path("/{id}")
  @Operation(
      operationId = "getRender",
      summary = "Get a render",
      description = "Status, progress, ETA, timings, video, error and every chunk of one render.")
  @APIResponse(
      responseCode = "200",
      description = "The render",
      content = @Content(schema = @Schema(implementation = RenderView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public RenderView get(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    return queries.view(AuthFilter.caller(security), jobId(id));
  }

  /** Changes an open render's priority: the dispatcher honours it from its next placement. */
  @PATCH
  @Path("/{id}")
  @RequiresScope(ApiScope.SUBMIT)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "changeRenderPriority",
      summary = "Change a render's priority",
      description =
          "Sets a queued or running render's `priority` (-100..100, as at submission); chunks not"
              + " yet dispatched are placed by it from the next placement on. 409 once finished.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = PriorityChange.class)))
  @APIResponse(
      responseCode = "200",
      description = "The render with its new priority",
      content = @Content(schema = @Schema(implementation = RenderView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "StateConflict")
  public RenderView reprioritise(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @Context SecurityContext security,
      String body) {
    Caller caller = AuthFilter.caller(security);
    UUID jobId = jobId(id);
    queries.visibleJob(caller, jobId);
    JsonNode root = RenderRequestParser.object(mapper, body, Set.of("priority"), true);
    if (!root.hasNonNull("priority")) throw new InvalidRequestException("priority", "is required");
    control.reprioritise(jobId, RenderRequestParser.priority(root, 0), caller.actor());
    return queries.view(caller, jobId);
  }

  /**
   * Newest first. {@code before} (an ISO instant, the last createdAt of the previous page) pages
   * back.
   */
  @GET
  @Operation(
      operationId = "listRenders",
      summary = "List renders",
      description = "Newest first, paged: `next` is the `before` of the following page.")
  @APIResponse(
      responseCode = "200",
      description = "A page of renders",
      content = @Content(schema = @Schema(implementation = RenderPage.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  public RenderPage list(
      @QueryParam("status")
          @Parameter(
              description = "Only renders in this status (case-insensitive)",
              schema = @Schema(implementation = JobStatus.class))
          String status,
      @QueryParam("limit") @Parameter(description = "Page size, 1-200 (default 20)") Integer limit,
      @QueryParam("before")
          @Parameter(description = "The `next` of the previous page (an ISO-8601 instant)")
          String before,
      @Context SecurityContext security) {
    return queries.list(AuthFilter.caller(security), status, limit, before);
  }

  /** Cancels a job: queued and running chunks stop counting, nothing half-done is published. */
  @DELETE
  @Path("/{id}")
  @RequiresScope(ApiScope.CANCEL)
  @Operation(
      operationId = "cancelRender",
      summary = "Cancel a render",
      description =
          "Queued and running chunks stop (workers abandon them within one denoising step); a"
              + " finished render is left as it is. Answers the render as it is after the call.")
  @APIResponse(
      responseCode = "200",
      description = "The render after the cancel",
      content = @Content(schema = @Schema(implementation = RenderView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public RenderView cancel(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    UUID jobId = jobId(id);
    JobRow before = queries.visibleJob(caller, jobId);
    lifecycle.cancel(jobId).orElseThrow(() -> new NotFoundException("no render " + id));
    db.inTransaction(
        c -> {
          audit.record(
              c,
              caller.actor(),
              "render.cancel",
              "render",
              id,
              Map.of("team", before.teamId().toString(), "statusBefore", before.status().name()));
          return null;
        });
    return queries.view(caller, jobId);
  }

  @GET
  @Path("/{id}/video")
  @Produces("video/mp4")
  @Operation(
      operationId = "getRenderVideo",
      summary = "Download a render's video",
      description =
          "The latest version of a render's MP4 (`?version=N`: an earlier one, see `versions`);"
              + " HTTP Range requests are supported.")
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
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @HeaderParam("Range") @Parameter(description = "e.g. `bytes=0-1023`") String range,
      @QueryParam("version") @Parameter(description = "A version of the video (1: the first)")
          Integer version,
      @Context SecurityContext security) {
    queries.visibleJob(AuthFilter.caller(security), jobId(id));
    return files.file(id, range, true, version);
  }

  @GET
  @Path("/{id}/poster.jpg")
  @Produces("image/jpeg")
  @Operation(
      operationId = "getRenderPoster",
      summary = "Download a render's poster",
      description = "A still of a SUCCEEDED render's video (JPEG).")
  @APIResponse(
      responseCode = "200",
      description = "The poster",
      content =
          @Content(
              mediaType = "image/jpeg",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "NotReady")
  public Response poster(
      @PathParam("id") @Parameter(ref = "RenderId") String id, @Context SecurityContext security) {
    queries.visibleJob(AuthFilter.caller(security), jobId(id));
    return files.file(id, null, false, null);
  }

  static UUID jobId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("id", "'" + id + "' is not a render id (a UUID)");
    }
  }
}
