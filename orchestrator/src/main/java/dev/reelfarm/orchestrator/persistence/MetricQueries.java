package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL behind the metrics: the farm's counts by state (indexed counts, read every few seconds,
 * not per scrape) and the queue wait of chunks just dispatched.
 */
@ApplicationScoped
public class MetricQueries {
  /** The worker states the gauges name; a worker is in exactly one. */
  public static final List<String> WORKER_STATES = List.of("idle", "busy", "quarantined", "lost");

  private static final String WORKERS =
      "SELECT id, extract(epoch FROM now() - last_heartbeat_at),"
          + " CASE WHEN lost_at IS NOT NULL OR last_heartbeat_at < now() - make_interval(secs => ?) THEN 'lost'"
          + " WHEN quarantined_at IS NOT NULL THEN 'quarantined'"
          + " WHEN current_chunk_id IS NOT NULL THEN 'busy' ELSE 'idle' END FROM worker";

  /**
   * When a dispatched chunk became READY is not stored, so it is derived: the latest of its job's
   * submission, its dependencies finishing and its last failed or lost run. (A dispatched chunk
   * released because its target worker was lost before the run started counts from one of those, so
   * its wait reads long.)
   */
  private static final String QUEUE_WAITS =
      "SELECT greatest(0, extract(epoch FROM ch.dispatched_at - greatest(j.created_at,"
          + " (SELECT max(d.finished_at) FROM chunk d WHERE d.job_id = ch.job_id AND d.chunk_index = ANY(ch.depends_on)),"
          + " (SELECT max(f.failed_at) FROM chunk_failure f WHERE f.chunk_id = ch.id))))"
          + " FROM chunk ch JOIN render_job j ON j.id = ch.job_id WHERE ch.id = ANY(?) AND ch.dispatched_at IS NOT NULL";

  /** A worker's row as the gauges see it. */
  public record WorkerState(String id, String state, double heartbeatAgeSeconds) {}

  /** The farm's counts at one moment; every state is present (0 when none). */
  public record FarmCounts(
      Map<JobStatus, Long> jobs,
      Map<ChunkStatus, Long> chunks,
      long outboxBacklog,
      long deadLetters,
      List<WorkerState> workers) {

    public static final FarmCounts EMPTY = new FarmCounts(Map.of(), Map.of(), 0, 0, List.of());

    public long workers(String state) {
      return workers.stream().filter(w -> w.state().equals(state)).count();
    }
  }

  /**
   * @param liveSeconds a worker silent for longer is lost
   */
  public FarmCounts counts(Connection c, int liveSeconds) throws SQLException {
    Map<JobStatus, Long> jobs = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) jobs.put(s, 0L);
    byStatus(c, "SELECT status, count(*) FROM render_job GROUP BY status")
        .forEach((s, n) -> jobs.put(JobStatus.valueOf(s), n));
    Map<ChunkStatus, Long> chunks = new EnumMap<>(ChunkStatus.class);
    for (ChunkStatus s : ChunkStatus.values()) chunks.put(s, 0L);
    byStatus(c, "SELECT status, count(*) FROM chunk GROUP BY status")
        .forEach((s, n) -> chunks.put(ChunkStatus.valueOf(s), n));
    long backlog = count(c, "SELECT count(*) FROM outbox WHERE published_at IS NULL");
    long deadLetters = count(c, "SELECT count(*) FROM dead_letter");
    List<WorkerState> workers = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(WORKERS)) {
      s.setInt(1, liveSeconds);
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          workers.add(new WorkerState(r.getString(1), r.getString(3), r.getDouble(2)));
      }
    }
    return new FarmCounts(jobs, chunks, backlog, deadLetters, workers);
  }

  /** How long each of {@code chunkIds}, dispatched in this transaction, had been READY. */
  public List<Duration> queueWaits(Connection c, List<Long> chunkIds) throws SQLException {
    if (chunkIds.isEmpty()) return List.of();
    List<Duration> waits = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(QUEUE_WAITS)) {
      Array ids = c.createArrayOf("bigint", chunkIds.toArray());
      s.setArray(1, ids);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) waits.add(Duration.ofNanos((long) (r.getDouble(1) * 1e9)));
      }
    }
    return waits;
  }

  private static Map<String, Long> byStatus(Connection c, String sql) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      while (r.next()) counts.put(r.getString(1), r.getLong(2));
    }
    return counts;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }
}
