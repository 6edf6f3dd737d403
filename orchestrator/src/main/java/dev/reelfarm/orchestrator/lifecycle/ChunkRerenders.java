package dev.reelfarm.orchestrator.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.RenderEvent;
import dev.reelfarm.schema.api.RerenderAccepted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Re-renders one chunk of a SUCCEEDED job with a seed of its own, for a new version of its video:
 * the job goes back to RUNNING (a {@code rerender} event), the chunk to READY; the dispatcher sends
 * it with its seed and, as context, the frames its neighbours share with it (see {@code
 * ChunkTasks#chunkTask}); once it is DONE the job is ENCODING and the encoder writes the next
 * version, which makes it SUCCEEDED again (the {@code succeeded} event, and its webhooks). A failed
 * or cancelled re-render ends the job FAILED or CANCELLED like any render; the versions delivered
 * before stay.
 */
@ApplicationScoped
public class ChunkRerenders {
  private static final Logger LOG = Logger.getLogger(ChunkRerenders.class);

  private final Database db;
  private final RenderRepository repo;
  private final QueueControlRepository control;
  private final JobEventLog events;
  private final RenderSubmissions submissions;
  private final AuditLog audit;
  private final ObjectMapper mapper;

  @Inject
  public ChunkRerenders(
      Database db,
      RenderRepository repo,
      QueueControlRepository control,
      JobEventLog events,
      RenderSubmissions submissions,
      AuditLog audit,
      ObjectMapper mapper) {
    this.db = db;
    this.repo = repo;
    this.control = control;
    this.events = events;
    this.submissions = submissions;
    this.audit = audit;
    this.mapper = mapper;
  }

  /**
   * Starts the re-render of chunk {@code index} of job {@code jobId} (of {@code team}) with {@code
   * seed} and returns its 202; the team's quotas apply as to a submission, and with an {@code
   * idempotencyKey} it starts at most once per key and team: a retried request gets the first one's
   * answer (its seed and version), as submissions do.
   *
   * @param comparedBody what a reused key's request is compared on (JSON naming the job and chunk)
   * @throws RefusedRequestException 404 naming {@code index} for a chunk the job does not have; 409
   *     naming {@code status} when the job is not SUCCEEDED or its intermediates are gone, or
   *     {@code index} for an anchor chunk (it owns no frames of the clip)
   */
  public RenderSubmissions.Submitted rerender(
      UUID team,
      UUID jobId,
      int index,
      long seed,
      AuditLog.Actor actor,
      String idempotencyKey,
      String comparedBody) {
    return submissions.once(
        team,
        idempotencyKey,
        comparedBody,
        c -> {
          RerenderAccepted accepted = start(c, jobId, index, seed, actor);
          LOG.infof(
              "job %s: re-rendering chunk %d with seed %d for version %d",
              jobId, index, seed, accepted.version());
          return new RenderSubmissions.Created(jobId, null, json(accepted));
        });
  }

  private RerenderAccepted start(
      Connection c, UUID jobId, int index, long seed, AuditLog.Actor actor) throws SQLException {
    JobRow unlocked = repo.findJob(c, jobId, false).orElseThrow(() -> noJob(jobId));
    // The team's row before the job's, the order every submission takes them in.
    submissions.admit(c, unlocked.teamId(), 1);
    JobRow job = repo.findJob(c, jobId, true).orElseThrow(() -> noJob(jobId));
    List<ChunkRow> chunks = repo.chunks(c, jobId);
    ChunkRow chunk =
        chunks.stream()
            .filter(ch -> ch.index() == index)
            .findFirst()
            .orElseThrow(
                () ->
                    RefusedRequestException.notFound(
                        "index",
                        "render "
                            + jobId
                            + " has no chunk "
                            + index
                            + " (its chunks are 0.."
                            + (chunks.size() - 1)
                            + ")"));
    if (job.status() != JobStatus.SUCCEEDED)
      throw RefusedRequestException.conflict(
          "status",
          "render "
              + jobId
              + " is "
              + job.status()
              + "; only a SUCCEEDED render's chunks can be re-rendered");
    if (chunk.plan().ownedEnd() <= chunk.plan().ownedStart())
      throw RefusedRequestException.conflict(
          "index",
          "chunk "
              + index
              + " is an anchor: it owns no frames of the clip (its keyframes condition"
              + " the infills); re-render one of the chunks that own frames");
    var version = control.startRerender(c, jobId, chunk.id(), index, seed);
    if (version.isEmpty())
      throw RefusedRequestException.conflict(
          "status",
          "the chunk frames and latents of render "
              + jobId
              + " were removed by retention (reelfarm.retention.intermediates-hours"
              + " after it finished); retry the render instead");
    int v = version.getAsInt();
    events.append(
        c,
        jobId,
        (seq, at) -> new RenderEvent.Rerender(jobId, seq, at, index, Long.toString(seed), v));
    audit.record(
        c,
        actor,
        "render.rerender",
        "render",
        jobId.toString(),
        Map.of(
            "team",
            job.teamId().toString(),
            "chunk",
            index,
            "seed",
            Long.toString(seed),
            "version",
            v));
    String self = "/api/v1/renders/" + jobId;
    return new RerenderAccepted(
        jobId,
        repo.findJob(c, jobId, false).orElseThrow().status(),
        index,
        Long.toString(seed),
        v,
        new RenderAccepted.Links(self, self + "/video", self + "/events"));
  }

  private String json(RerenderAccepted accepted) {
    try {
      return mapper.writeValueAsString(accepted);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a RerenderAccepted always serialises", e);
    }
  }

  private static RefusedRequestException noJob(UUID jobId) {
    return RefusedRequestException.notFound("id", "no render " + jobId);
  }
}
