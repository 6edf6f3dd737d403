package dev.reelfarm.orchestrator.scheduling;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Releases READY chunks to the workers: within the admission bound, by job priority then age, it
 * writes each chunk's task to the outbox and marks it DISPATCHED in the same transaction. Tasks are
 * keyed by chunk id, so one job's chunks spread over partitions and therefore over workers.
 */
@ApplicationScoped
public class ChunkDispatcher {
  private final Database db;
  private final RenderRepository repo;
  private final ReelfarmConfig config;

  public ChunkDispatcher(Database db, RenderRepository repo, ReelfarmConfig config) {
    this.db = db;
    this.repo = repo;
    this.config = config;
  }

  /** Dispatches what the bound allows; returns how many chunks went out. */
  public int dispatchReady() {
    return db.inTransaction(
        c -> {
          int room = config.maxInFlight() - repo.countInFlight(c);
          if (room <= 0) return 0;
          List<ChunkRow> ready = repo.lockReadyChunks(c, room);
          for (ChunkRow chunk : ready) {
            JobRow job = repo.findJob(c, chunk.jobId(), false).orElseThrow();
            send(c, job, chunk);
            repo.transitionChunk(c, chunk.id(), "READY", "DISPATCHED");
          }
          return ready.size();
        });
  }

  /** Writes a chunk's task to the outbox (also used to re-send a chunk for another run). */
  public void send(Connection c, JobRow job, ChunkRow chunk) throws SQLException {
    var task = ChunkTasks.chunkTask(job, chunk, repo.chunks(c, job.id()));
    repo.enqueue(c, Topics.CHUNK_TASKS, Long.toString(chunk.id()), MessageCodec.toJson(task));
  }
}
