package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.messages.WorkerHeartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The latest heartbeat of every worker. */
@ApplicationScoped
public class WorkerRepository {

  /** A row of {@code worker}. */
  public record WorkerRow(
      String id, String model, String device, String host, Long pid, UUID currentJobId, Long currentChunkId,
      Integer currentChunkIndex, Instant startedAt, Instant lastHeartbeatAt) {}

  public void upsert(Connection c, WorkerHeartbeat h) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO worker (id, model, device, host, pid, current_job_id, current_chunk_id, last_heartbeat_at)"
                + " VALUES (?,?,?,?,?,?,?, now()) ON CONFLICT (id) DO UPDATE SET model = excluded.model,"
                + " device = excluded.device, host = excluded.host, pid = excluded.pid,"
                + " current_job_id = excluded.current_job_id, current_chunk_id = excluded.current_chunk_id,"
                + " last_heartbeat_at = now()")) {
      s.setString(1, h.workerId());
      s.setString(2, h.model());
      s.setString(3, h.device());
      s.setString(4, h.host());
      s.setLong(5, h.pid());
      s.setObject(6, h.currentJobId());
      s.setObject(7, h.currentChunkId());
      s.executeUpdate();
    }
  }

  /** Workers heard from within {@code maxAgeSeconds}, most recently seen first. */
  public List<WorkerRow> live(Connection c, int maxAgeSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT w.*, ch.chunk_index FROM worker w LEFT JOIN chunk ch ON ch.id = w.current_chunk_id"
                + " WHERE w.last_heartbeat_at > now() - make_interval(secs => ?) ORDER BY w.id")) {
      s.setInt(1, maxAgeSeconds);
      List<WorkerRow> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          long pid = r.getLong("pid");
          Long chunk = r.getLong("current_chunk_id");
          if (r.wasNull()) chunk = null;
          Integer chunkIndex = r.getInt("chunk_index");
          if (r.wasNull()) chunkIndex = null;
          rows.add(
              new WorkerRow(
                  r.getString("id"), r.getString("model"), r.getString("device"), r.getString("host"), pid,
                  r.getObject("current_job_id", UUID.class), chunk, chunkIndex,
                  r.getTimestamp("started_at").toInstant(), r.getTimestamp("last_heartbeat_at").toInstant()));
        }
      }
      return rows;
    }
  }
}
