package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.lifecycle.ChunkRerenders;
import dev.reelfarm.orchestrator.lifecycle.RenderSubmissions;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.ChunkRerenderRequest;
import dev.reelfarm.schema.api.RerenderAccepted;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * One chunk of a render: its latest preview while it renders, and re-rendering it with a new seed
 * once the render has succeeded (a new version of the video).
 */
@Path("/api/v1/renders/{id}/chunks/{index}")
@Tag(name = "renders")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class ChunkResource {
  private static final Set<String> RERENDER_FIELDS = Set.of("seed");

  private final RenderQueries queries;
  private final RenderFiles files;
  private final ChunkRerenders rerenders;
  private final ObjectMapper mapper;

  public ChunkResource(
      Database db,
      RenderRepository repo,
      JobEta eta,
      ArtifactStore artifacts,
      ChunkRerenders rerenders,
      ObjectMapper mapper) {
    this.queries = new RenderQueries(db, repo, eta);
    this.files = new RenderFiles(db, repo, artifacts);
    this.rerenders = rerenders;
    this.mapper = mapper;
  }

  /** The latest preview image of a chunk while it renders ({@code ?step=} only busts caches). */
  @GET
  @Path("/preview.png")
  @Produces("image/png")
  @RequiresScope(ApiScope.READ)
  @Operation(
      operationId = "getChunkPreview",
      summary = "A chunk's latest preview",
      description = "The latest preview image of a chunk while it renders (`?step=` busts caches).")
  @APIResponse(
      responseCode = "200",
      description = "The preview",
      content =
          @Content(
              mediaType = "image/png",
              schema = @Schema(type = SchemaType.STRING, format = "binary")))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response preview(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @PathParam("index") @Parameter(ref = "ChunkIndex") int index,
      @Context SecurityContext security) {
    queries.visibleJob(AuthFilter.caller(security), RenderResource.jobId(id));
    return files.preview(id, index);
  }

  /** Re-renders one chunk of a SUCCEEDED render with a new seed, for a new video version. */
  @POST
  @Path("/rerender")
  @Produces(MediaType.APPLICATION_JSON)
  @RequiresScope(ApiScope.SUBMIT)
  @Operation(
      operationId = "rerenderChunk",
      summary = "Re-render one chunk",
      description =
          "Renders chunk `index` of a SUCCEEDED render again with `seed` (default: a fresh one),"
              + " conditioned on the frames it shares with its neighbours, so only its own frames"
              + " change and its seams stay as they were; then encodes the clip as the next"
              + " version of the video. The render is RUNNING, then ENCODING, then SUCCEEDED again"
              + " (a `rerender` event, then the usual ones; `succeeded` webhooks again). 409 while"
              + " the render is open or for an anchor chunk; the team's quotas and"
              + " Idempotency-Key apply (a reused key answers the first request's seed and"
              + " version).")
  @Parameter(ref = "IdempotencyKey")
  @RequestBody(
      required = false,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ChunkRerenderRequest.class)))
  @APIResponse(
      responseCode = "202",
      description = "The re-render is queued (or, with a reused Idempotency-Key, the first answer)",
      headers = @Header(name = "Location", ref = "Location"),
      content = @Content(schema = @Schema(implementation = RerenderAccepted.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "409", ref = "StateConflict")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  @APIResponse(responseCode = "422", ref = "Unprocessable")
  @APIResponse(responseCode = "429", ref = "TooManyRequests")
  public Response rerender(
      @PathParam("id") @Parameter(ref = "RenderId") String id,
      @PathParam("index") @Parameter(ref = "ChunkIndex") int index,
      @HeaderParam(RenderSubmissions.HEADER) @Parameter(hidden = true) String idempotencyKey,
      @Context SecurityContext security,
      String body) {
    Caller caller = AuthFilter.caller(security);
    UUID jobId = RenderResource.jobId(id);
    JobRow job = queries.visibleJob(caller, jobId);
    JsonNode request = RenderRequestParser.object(mapper, body, RERENDER_FIELDS, false);
    long seed = RenderRequestParser.seed(request).orElseGet(RenderRequestParser::freshSeed);
    // A reused key is compared on the route's job and chunk as well as the body.
    ObjectNode compared = mapper.createObjectNode();
    compared.put("rerender", jobId.toString()).put("chunk", index).set("body", request);
    return RenderResource.accepted(
        rerenders.rerender(
            job.teamId(), jobId, index, seed, caller.actor(), idempotencyKey, compared.toString()),
        "/api/v1/renders/");
  }
}
