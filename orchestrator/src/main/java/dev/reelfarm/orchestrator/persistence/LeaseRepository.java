package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * SQL for what the lease sweeper checks: lapsed chunk leases, workers whose heartbeat stopped,
 * encodes without word from an encoder, and jobs whose ready chunks no worker may take.
 */
@ApplicationScoped
public class LeaseRepository {

  /**
   * A DISPATCHED or RUNNING chunk and the worker it is held by (the running one, or the one the
   * task was aimed at).
   */
  public record HeldChunk(ChunkRow chunk, String workerId) {}

  private static final String HELD =
      "SELECT ch.*, CASE WHEN ch.status = 'RUNNING' THEN ch.worker_id ELSE ch.target_worker END AS held_by"
          + " FROM chunk ch WHERE ch.status IN ('DISPATCHED','RUNNING') AND ";

  /** Held chunks whose lease lapsed, locked (others are skipped: another sweeper has them). */
  public List<HeldChunk> lockLapsed(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            HELD + "ch.lease_expires_at < now() ORDER BY ch.id FOR UPDATE OF ch SKIP LOCKED")) {
      return held(s);
    }
  }

  /** Chunks held by {@code workerId}, locked. */
  public List<HeldChunk> lockHeldBy(Connection c, String workerId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            HELD
                + "? = CASE WHEN ch.status = 'RUNNING' THEN ch.worker_id ELSE ch.target_worker END"
                + " ORDER BY ch.id FOR UPDATE OF ch")) {
      s.setString(1, workerId);
      return held(s);
    }
  }

  /**
   * A held chunk goes back to READY for the dispatcher (whose next dispatch is a new epoch, so the
   * superseded run's late reports are dropped).
   */
  public boolean release(Connection c, HeldChunk held, String error) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = 'READY', error = coalesce(?, error), target_worker = NULL,"
                + " lease_expires_at = NULL WHERE id = ? AND status = ?")) {
      s.setString(1, error);
      s.setLong(2, held.chunk().id());
      s.setString(3, held.chunk().status().name());
      return s.executeUpdate() == 1;
    }
  }

  /** Live workers whose heartbeat stopped {@code liveSeconds} ago are marked lost; their ids. */
  public List<String> markLostWorkers(Connection c, int liveSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE worker SET lost_at = now() WHERE lost_at IS NULL"
                + " AND last_heartbeat_at < now() - make_interval(secs => ?) RETURNING id")) {
      s.setInt(1, liveSeconds);
      List<String> ids = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) ids.add(r.getString(1));
      }
      return ids;
    }
  }

  /** ENCODING jobs without word from an encoder for {@code timeoutSeconds}, locked. */
  public List<UUID> lockStalledEncodes(Connection c, int timeoutSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM render_job WHERE status = 'ENCODING'"
                + " AND coalesce(encode_progress_at, encoding_started_at) < now() - make_interval(secs => ?)"
                + " ORDER BY id FOR UPDATE SKIP LOCKED")) {
      s.setInt(1, timeoutSeconds);
      return ids(s);
    }
  }

  /** An encoder reported on the job (or its task was sent again): its encode timeout restarts. */
  public void encodeProgress(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET encode_progress_at = now() WHERE id = ? AND status = 'ENCODING'")) {
      s.setObject(1, jobId);
      s.executeUpdate();
    }
  }

  /** Open jobs with READY chunks. */
  public List<UUID> jobsWithReadyChunks(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT DISTINCT j.id FROM render_job j JOIN chunk ch ON ch.job_id = j.id"
                + " WHERE j.status IN ('QUEUED','RUNNING') AND ch.status = 'READY' ORDER BY j.id")) {
      return ids(s);
    }
  }

  /** Sets why the job waits (null: it does not); true when that changed. */
  public boolean setWaitingReason(Connection c, UUID jobId, String reason) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET waiting_reason = ? WHERE id = ? AND waiting_reason IS DISTINCT FROM ?")) {
      s.setString(1, reason);
      s.setObject(2, jobId);
      s.setString(3, reason);
      return s.executeUpdate() == 1;
    }
  }

  /** Clears the waiting reason of every job not in {@code waiting}. */
  public void clearWaitingReasonsExcept(Connection c, List<UUID> waiting) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET waiting_reason = NULL WHERE waiting_reason IS NOT NULL AND id <> ALL(?)")) {
      s.setArray(1, c.createArrayOf("uuid", waiting.toArray()));
      s.executeUpdate();
    }
  }

  private static List<HeldChunk> held(PreparedStatement s) throws SQLException {
    List<HeldChunk> chunks = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) chunks.add(new HeldChunk(Rows.chunk(r), r.getString("held_by")));
    }
    return chunks;
  }

  private static List<UUID> ids(PreparedStatement s) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) ids.add(r.getObject(1, UUID.class));
    }
    return ids;
  }
}
