package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
  private final Wakeup relay;

  /** The accepted re-render: the job as it is now, and the version it will deliver. */
  public record Rerendered(JobRow job, int chunk, long seed, int version) {}

  @Inject
  public ChunkRerenders(
      Database db,
      RenderRepository repo,
      QueueControlRepository control,
      JobEventLog events,
      RenderSubmissions submissions,
      AuditLog audit,
      RenderLifecycle lifecycle) {
    this(db, repo, control, events, submissions, audit, lifecycle::wakeRelay);
  }

  public ChunkRerenders(
      Database db,
      RenderRepository repo,
      QueueControlRepository control,
      JobEventLog events,
      RenderSubmissions submissions,
      AuditLog audit,
      Wakeup relay) {
    this.db = db;
    this.repo = repo;
    this.control = control;
    this.events = events;
    this.submissions = submissions;
    this.audit = audit;
    this.relay = relay;
  }

  /**
   * Starts the re-render of chunk {@code index} of job {@code jobId} with {@code seed}; the team's
   * quotas apply as to a submission.
   *
   * @throws RefusedRequestException 404 naming {@code index} for a chunk the job does not have; 409
   *     naming {@code status} when the job is not SUCCEEDED or its intermediates are gone, or
   *     {@code index} for an anchor chunk (it owns no frames of the clip)
   */
  public Rerendered rerender(UUID jobId, int index, long seed, AuditLog.Actor actor) {
    Rerendered rerendered =
        db.inTransaction(
            c -> {
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
                  (seq, at) ->
                      new RenderEvent.Rerender(jobId, seq, at, index, Long.toString(seed), v));
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
              return new Rerendered(repo.findJob(c, jobId, false).orElseThrow(), index, seed, v);
            });
    LOG.infof(
        "job %s: re-rendering chunk %d with seed %d for version %d",
        jobId, index, seed, rerendered.version());
    relay.wake();
    return rerendered;
  }

  private static RefusedRequestException noJob(UUID jobId) {
    return RefusedRequestException.notFound("id", "no render " + jobId);
  }
}
