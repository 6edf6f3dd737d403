package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Farm;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.IdleWorker;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Placement;
import dev.reelfarm.orchestrator.scheduling.ChunkTasks;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Releases READY chunks to the workers as {@link ChunkPlacement} decides, in one transaction: each
 * chunk's task goes to the outbox and the chunk becomes DISPATCHED. READY chunks are taken by job
 * priority, then job age, then the longest remaining critical path (an anchor that holds up seven
 * infills goes before an infill), and locked with SKIP LOCKED so two dispatchers never send one
 * chunk. A rebalance between heartbeat and send only means another worker runs the chunk: fencing
 * makes that safe.
 */
@ApplicationScoped
public class ChunkDispatcher {
  private final Database db;
  private final RenderRepository repo;
  private final WorkerRepository workers;
  private final int maxInFlight;
  private final int workerLiveSeconds;

  @Inject
  public ChunkDispatcher(
      Database db, RenderRepository repo, WorkerRepository workers, ReelfarmConfig config) {
    this(db, repo, workers, config.dispatch().maxInFlight(), config.workers().liveSeconds());
  }

  public ChunkDispatcher(
      Database db,
      RenderRepository repo,
      WorkerRepository workers,
      int maxInFlight,
      int workerLiveSeconds) {
    this.db = db;
    this.repo = repo;
    this.workers = workers;
    this.maxInFlight = maxInFlight;
    this.workerLiveSeconds = workerLiveSeconds;
  }

  /** Dispatches what the bound and the idle workers allow; returns how many chunks went out. */
  public int dispatchReady() {
    return db.inTransaction(
        c -> {
          Farm farm = farm(c);
          int capacity = ChunkPlacement.capacity(farm);
          if (capacity == 0) return 0;
          List<Placement<ChunkRow>> placements =
              ChunkPlacement.place(repo.lockReadyChunks(c, capacity), farm);
          for (Placement<ChunkRow> p : placements) send(c, p);
          return placements.size();
        });
  }

  private Farm farm(Connection c) throws SQLException {
    int inFlight = repo.countInFlight(c);
    if (inFlight >= maxInFlight)
      return new Farm(
          maxInFlight, inFlight, 0, false, List.of()); // full: no need to ask about workers
    boolean routable = workers.routable(c, workerLiveSeconds) > 0;
    List<IdleWorker> idle =
        routable
            ? workers.idle(c, workerLiveSeconds).stream()
                .map(w -> new IdleWorker(w.id(), w.partitions()))
                .toList()
            : List.of();
    int live = routable ? 0 : workers.liveCount(c, workerLiveSeconds);
    return new Farm(maxInFlight, inFlight, live, routable, idle);
  }

  private void send(Connection c, Placement<ChunkRow> p) throws SQLException {
    ChunkRow chunk = p.chunk();
    JobRow job = repo.findJob(c, chunk.jobId(), false).orElseThrow();
    var task = ChunkTasks.chunkTask(job, chunk, repo.chunks(c, job.id()));
    repo.enqueue(c, Topics.CHUNK_TASKS, Long.toString(chunk.id()), task, p.partition());
    repo.markDispatched(c, chunk.id(), p.workerId());
  }

  /**
   * Re-sends a chunk for another run after a failed one (it is already DISPATCHED again), by key.
   */
  public void resend(Connection c, JobRow job, ChunkRow chunk) throws SQLException {
    var task = ChunkTasks.chunkTask(job, chunk, repo.chunks(c, job.id()));
    repo.enqueue(c, Topics.CHUNK_TASKS, Long.toString(chunk.id()), task);
  }
}
