package dev.reelfarm.orchestrator.scheduling;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository.IdleWorker;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Releases READY chunks to the workers, by job priority, then job age, then the longest remaining
 * critical path (an anchor that holds up seven infills goes before an infill), writing each
 * chunk's task to the outbox and marking it DISPATCHED in the same transaction.
 *
 * <p>Routing: a task keyed by hash would land on whichever worker owns that partition, busy or not,
 * so one job's chunks could queue behind one worker while another idles. Workers report the task
 * partitions they own in their heartbeats; each chunk goes to a partition of an idle worker, one
 * chunk per idle worker, and waits in PostgreSQL (READY) otherwise. Until workers have reported
 * partitions, tasks go by key, at most one per live worker. A rebalance between heartbeat and
 * send only means another worker runs the chunk: fencing makes that safe.
 */
@ApplicationScoped
public class ChunkDispatcher {
  private final Database db;
  private final RenderRepository repo;
  private final WorkerRepository workers;
  private final ReelfarmConfig config;

  public ChunkDispatcher(Database db, RenderRepository repo, WorkerRepository workers, ReelfarmConfig config) {
    this.db = db;
    this.repo = repo;
    this.workers = workers;
    this.config = config;
  }

  /** Dispatches what the bound allows; returns how many chunks went out. */
  public int dispatchReady() {
    return db.inTransaction(
        c -> {
          int inFlight = repo.countInFlight(c);
          int room = config.maxInFlight() - inFlight;
          if (room <= 0) return 0;
          int liveSeconds = config.workerLiveSeconds();
          if (workers.routable(c, liveSeconds) > 0) {
            List<IdleWorker> idle = workers.idle(c, liveSeconds);
            List<ChunkRow> ready = repo.lockReadyChunks(c, Math.min(room, idle.size()));
            for (int i = 0; i < ready.size(); i++) {
              IdleWorker worker = idle.get(i);
              send(c, ready.get(i), worker.partitions().get(0), worker.id());
            }
            return ready.size();
          }
          List<ChunkRow> ready = repo.lockReadyChunks(c, Math.min(room, Math.max(1, workers.liveCount(c, liveSeconds) - inFlight)));
          for (ChunkRow chunk : ready) send(c, chunk, null, null);
          return ready.size();
        });
  }

  private void send(Connection c, ChunkRow chunk, Integer partition, String worker) throws SQLException {
    JobRow job = repo.findJob(c, chunk.jobId(), false).orElseThrow();
    var task = ChunkTasks.chunkTask(job, chunk, repo.chunks(c, job.id()));
    repo.enqueue(c, Topics.CHUNK_TASKS, Long.toString(chunk.id()), MessageCodec.toJson(task), partition);
    repo.markDispatched(c, chunk.id(), worker);
  }

  /** Re-sends a chunk for another run after a failed one (it is already DISPATCHED again). */
  public void resend(Connection c, JobRow job, ChunkRow chunk) throws SQLException {
    var task = ChunkTasks.chunkTask(job, chunk, repo.chunks(c, job.id()));
    repo.enqueue(c, Topics.CHUNK_TASKS, Long.toString(chunk.id()), MessageCodec.toJson(task));
  }
}
