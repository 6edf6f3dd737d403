package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the farm remembers of failures: every failed or lost run by chunk and worker (the per-job
 * blocklist and the poison-chunk count derive from it), and each worker's run of failures, which
 * quarantines it.
 */
@ApplicationScoped
public class FailureMemory {

  /** A run of {@code chunkId} failed (or was lost) on {@code workerId}. */
  public void record(Connection c, UUID jobId, long chunkId, String workerId, String error)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO chunk_failure (job_id, chunk_id, worker_id, error) VALUES (?,?,?,?)")) {
      s.setObject(1, jobId);
      s.setLong(2, chunkId);
      s.setString(3, workerId);
      s.setString(4, error);
      s.executeUpdate();
    }
  }

  /** Different workers a chunk has failed on. */
  public int failedWorkers(Connection c, long chunkId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(DISTINCT worker_id) FROM chunk_failure WHERE chunk_id = ?")) {
      s.setLong(1, chunkId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** Per chunk of {@code chunks} that failed before, the workers it failed on. */
  public Map<Long, Set<String>> failedOn(Connection c, Collection<Long> chunks)
      throws SQLException {
    Map<Long, Set<String>> failed = new HashMap<>();
    if (chunks.isEmpty()) return failed;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT DISTINCT chunk_id, worker_id FROM chunk_failure WHERE chunk_id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("int8", chunks.toArray()));
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          failed.computeIfAbsent(r.getLong(1), id -> new HashSet<>()).add(r.getString(2));
      }
    }
    return failed;
  }

  /**
   * Per job of {@code jobs}, the workers that failed at least {@code limit} of its chunks' runs.
   */
  public Map<UUID, Set<String>> blocklist(Connection c, Collection<UUID> jobs, int limit)
      throws SQLException {
    Map<UUID, Set<String>> blocked = new HashMap<>();
    if (jobs.isEmpty()) return blocked;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT job_id, worker_id FROM chunk_failure WHERE job_id = ANY(?)"
                + " GROUP BY job_id, worker_id HAVING count(*) >= ?")) {
      s.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
      s.setInt(2, limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          blocked
              .computeIfAbsent(r.getObject(1, UUID.class), j -> new HashSet<>())
              .add(r.getString(2));
      }
    }
    return blocked;
  }

  /**
   * One more failure in a row for the worker; at {@code quarantineAfter} it is quarantined (again,
   * from now, when a probe failed).
   *
   * @return the quarantine reason when the worker is quarantined now
   */
  public Optional<String> workerFailed(
      Connection c, String workerId, String error, int quarantineAfter) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE worker SET consecutive_failures = consecutive_failures + 1,"
                + " quarantined_at = CASE WHEN consecutive_failures + 1 >= ? THEN now() ELSE quarantined_at END,"
                + " quarantine_reason = CASE WHEN consecutive_failures + 1 >= ?"
                + "   THEN 'failed ' || (consecutive_failures + 1) || ' chunks in a row; latest: ' || ? ELSE quarantine_reason END"
                + " WHERE id = ? RETURNING quarantine_reason")) {
      s.setInt(1, quarantineAfter);
      s.setInt(2, quarantineAfter);
      s.setString(3, error);
      s.setString(4, workerId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      }
    }
  }

  /** The worker completed a chunk: its run of failures ends and so does its quarantine. */
  public boolean workerSucceeded(Connection c, String workerId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE worker SET consecutive_failures = 0, quarantined_at = NULL, quarantine_reason = NULL"
                + " WHERE id = ? AND (consecutive_failures > 0 OR quarantined_at IS NOT NULL)")) {
      s.setString(1, workerId);
      return s.executeUpdate() == 1;
    }
  }
}
