package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.ChunkRuns;
import dev.reelfarm.orchestrator.persistence.FailureMemory;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderEvent;
import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What a failed or lost run of a chunk leads to: the failure is remembered against its worker (the
 * per-job blocklist, the worker's quarantine), and the chunk, already READY again, either waits for
 * another worker or, having failed on {@link FaultPolicy#maxAttempts()} different workers, fails
 * its job with its last error (a poison chunk).
 */
@ApplicationScoped
public class ChunkFailures {
  private static final Logger LOG = Logger.getLogger(ChunkFailures.class);

  private final RenderRepository repo;
  private final ChunkRuns runs;
  private final FailureMemory memory;
  private final JobEventLog events;
  private final FaultPolicy policy;

  @Inject
  public ChunkFailures(
      RenderRepository repo,
      ChunkRuns runs,
      FailureMemory memory,
      JobEventLog events,
      ReelfarmConfig config) {
    this(repo, runs, memory, events, FaultPolicy.of(config));
  }

  public ChunkFailures(
      RenderRepository repo,
      ChunkRuns runs,
      FailureMemory memory,
      JobEventLog events,
      FaultPolicy policy) {
    this.repo = repo;
    this.runs = runs;
    this.memory = memory;
    this.events = events;
    this.policy = policy;
  }

  /**
   * A run of {@code chunk} (as it was before; the caller has made it READY) failed or was lost on
   * {@code workerId}.
   */
  void remember(Connection c, ChunkRow chunk, String workerId, String error) throws SQLException {
    UUID jobId = chunk.jobId();
    memory.record(c, jobId, chunk.id(), workerId, error);
    memory
        .workerFailed(c, workerId, error, policy.quarantineAfter())
        .ifPresent(reason -> LOG.warnf("worker %s quarantined: %s", workerId, reason));
    int failedOn = memory.failedWorkers(c, chunk.id());
    boolean retry = failedOn < policy.maxAttempts();
    int attempt = chunk.run().attempt();
    events.append(
        c,
        jobId,
        (seq, at) ->
            new RenderEvent.ChunkFailed(
                jobId, seq, at, chunk.index(), workerId, attempt, retry, error));
    if (retry) {
      LOG.warnf(
          "chunk %d failed on %s (%d of %d workers), to be dispatched again: %s",
          chunk.id(), workerId, failedOn, policy.maxAttempts(), error);
      return;
    }
    runs.failChunk(c, chunk.id());
    failJob(
        c, jobId, "chunk " + chunk.index() + " failed after " + attempt + " attempts: " + error);
  }

  /** An open job FAILS: its other chunks are cancelled and their workers told to stop. */
  void failJob(Connection c, UUID jobId, String reason) throws SQLException {
    if (repo.transitionJob(c, jobId, JobStatus.OPEN, JobStatus.FAILED, reason)) {
      repo.cancelOpenChunks(c, jobId);
      events.append(c, jobId, (seq, at) -> new RenderEvent.Failed(jobId, seq, at, reason));
      stopWorkers(c, jobId); // the job's other running chunks would be wasted work
    }
    LOG.errorf("job %s failed: %s", jobId, reason);
  }

  /** Broadcasts a CANCEL for the job: workers abandon its chunks within one denoising step. */
  void stopWorkers(Connection c, UUID jobId) throws SQLException {
    var control =
        new JobControl(
            JobControl.SCHEMA_VERSION, jobId, JobControl.Action.CANCEL, System.currentTimeMillis());
    repo.enqueue(c, Topics.JOB_CONTROL, jobId.toString(), control);
  }
}
