package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.config.ModelCatalog;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.progress.EventStreams;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.RenderPage;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.presets.Preset;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.resteasy.reactive.PathPart;

/** The render API (ARCHITECTURE.md §6). */
@Path("/api/v1/renders")
@Produces(MediaType.APPLICATION_JSON)
public class RenderResource {
  private static final SecureRandom SEEDS = new SecureRandom();

  private final RenderLifecycle lifecycle;
  private final Database db;
  private final RenderRepository repo;
  private final RenderRequestParser parser;
  private final ArtifactStore artifacts;
  private final JobEta eta;
  private final EventStreams events;

  public RenderResource(
      RenderLifecycle lifecycle,
      Database db,
      RenderRepository repo,
      ObjectMapper mapper,
      ModelCatalog models,
      ReelfarmConfig config,
      JobEta eta,
      EventStreams events) {
    this.eta = eta;
    this.events = events;
    this.lifecycle = lifecycle;
    this.db = db;
    this.repo = repo;
    var m = models.manifest();
    this.parser =
        new RenderRequestParser(
            mapper, m.defaultSteps(), m.defaultGuidanceScale(), () -> SEEDS.nextLong() >>> 1);
    this.artifacts = new ArtifactStore(config.artifacts().dir());
  }

  /** Queues a render; 202 with the job's id and links. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response submit(String body) {
    JobRow job = lifecycle.submit(parser.parse(body));
    String self = "/api/v1/renders/" + job.id();
    var links = new RenderAccepted.Links(self, self + "/video", self + "/events");
    return Response.accepted(new RenderAccepted(job.id(), job.status(), links))
        .header("Location", self)
        .build();
  }

  @GET
  @Path("/{id}")
  public RenderView get(@PathParam("id") String id) {
    return view(jobId(id));
  }

  /**
   * Newest first. {@code before} (an ISO instant, the last createdAt of the previous page) pages
   * back.
   */
  @GET
  public RenderPage list(
      @QueryParam("status") String status,
      @QueryParam("limit") Integer limit,
      @QueryParam("before") String before) {
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > 200)
      throw new InvalidRequestException("limit", "must be between 1 and 200");
    JobStatus wanted = status == null ? null : jobStatus(status);
    Instant cursor;
    try {
      cursor = before == null ? null : Instant.parse(before);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "before", "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
    }
    List<RenderView> items =
        db.inTransaction(
            c -> {
              Instant now = Instant.now();
              var views = new java.util.ArrayList<RenderView>();
              JobEta.Request etas = eta.forRequest(c);
              for (JobRow job : repo.listJobs(c, wanted, cursor, size)) {
                List<ChunkRow> chunks = repo.chunks(c, job.id());
                views.add(
                    RenderViews.of(
                        job, chunks, outputFps(job), etas.remainingSeconds(job, chunks, now)));
              }
              return views;
            });
    String next = items.size() == size ? items.get(items.size() - 1).createdAt().toString() : null;
    return new RenderPage(items, next);
  }

  /** Cancels a job: queued and running chunks stop counting, nothing half-done is published. */
  @DELETE
  @Path("/{id}")
  public RenderView cancel(@PathParam("id") String id) {
    UUID jobId = jobId(id);
    lifecycle.cancel(jobId).orElseThrow(() -> new NotFoundException("no render " + id));
    return view(jobId);
  }

  /**
   * A job's events as Server-Sent Events, from its first (or after {@code Last-Event-ID}) to its
   * last.
   */
  @GET
  @Path("/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public Multi<OutboundSseEvent> jobEvents(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context Sse sse) {
    UUID jobId = jobId(id);
    int after = (int) EventResource.cursor(lastEventId, "Last-Event-ID", 0);
    return Multi.createFrom()
        .item(jobId)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .invoke(
            j ->
                db.inTransaction(c -> repo.findJob(c, j, false))
                    .orElseThrow(() -> new NotFoundException("no render " + id)))
        .onItem()
        .transformToMultiAndConcatenate(j -> events.job(j, after))
        .map(
            row ->
                sse.newEventBuilder()
                    .id(Integer.toString(row.seq()))
                    .name(row.type())
                    .data(row.payload())
                    .build());
  }

  @GET
  @Path("/{id}/video")
  @Produces("video/mp4")
  public Response video(@PathParam("id") String id, @HeaderParam("Range") String range) {
    return file(id, range, true);
  }

  @GET
  @Path("/{id}/poster.jpg")
  @Produces("image/jpeg")
  public Response poster(@PathParam("id") String id) {
    return file(id, null, false);
  }

  private Response file(String id, String range, boolean video) {
    JobRow job =
        db.inTransaction(c -> repo.findJob(c, jobId(id), false))
            .orElseThrow(() -> new NotFoundException("no render " + id));
    String uri = video ? job.result().videoUri() : job.result().posterUri();
    if (uri == null) {
      return ErrorMappers.json(
          409,
          new ErrorBody(
              "not_ready",
              null,
              "render " + id + " is " + job.status() + ", it has no output yet"));
    }
    java.nio.file.Path path = artifacts.path(uri);
    if (!Files.isRegularFile(path))
      throw new NotFoundException("output of render " + id + " is missing from the artifact store");
    String type = video ? "video/mp4" : "image/jpeg";
    long length = path.toFile().length();
    ByteRange r = ByteRange.parse(range, length);
    if (r == null) {
      return Response.ok(new PathPart(path, 0, length), type)
          .header("Accept-Ranges", "bytes")
          .header("Content-Length", length)
          .build();
    }
    if (!r.satisfiable()) {
      return Response.status(416).header("Content-Range", "bytes */" + length).build();
    }
    return Response.status(206)
        .type(type)
        .entity(new PathPart(path, r.start(), r.length()))
        .header("Accept-Ranges", "bytes")
        .header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + length)
        .header("Content-Length", r.length())
        .build();
  }

  /** The latest preview image of a chunk while it renders ({@code ?step=} only busts caches). */
  @GET
  @Path("/{id}/chunks/{index}/preview.png")
  @Produces("image/png")
  public Response preview(@PathParam("id") String id, @PathParam("index") int index) {
    UUID jobId = jobId(id);
    String uri =
        db.inTransaction(c -> repo.chunks(c, jobId)).stream()
            .filter(ch -> ch.index() == index)
            .findFirst()
            .map(ch -> ch.result().previewUri())
            .orElseThrow(
                () -> new NotFoundException("render " + id + " has no preview for chunk " + index));
    java.nio.file.Path path = artifacts.path(uri);
    if (!Files.isRegularFile(path))
      throw new NotFoundException("preview is no longer in the artifact store");
    return Response.ok(path.toFile(), "image/png").header("Cache-Control", "no-cache").build();
  }

  private RenderView view(UUID jobId) {
    return db.inTransaction(
        c -> {
          JobRow job =
              repo.findJob(c, jobId, false)
                  .orElseThrow(() -> new NotFoundException("no render " + jobId));
          List<ChunkRow> chunks = repo.chunks(c, jobId);
          return RenderViews.of(
              job,
              chunks,
              outputFps(job),
              eta.forRequest(c).remainingSeconds(job, chunks, Instant.now()));
        });
  }

  private static int outputFps(JobRow job) {
    return Preset.find(job.spec().preset()).map(Preset::fps).orElse(job.spec().nativeFps());
  }

  private static JobStatus jobStatus(String name) {
    try {
      return JobStatus.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("status", "unknown status '" + name + "'");
    }
  }

  static UUID jobId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("id", "'" + id + "' is not a render id (a UUID)");
    }
  }
}
