package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * SQL for queue control: an open job's priority, the link from a retry to the job it retries, and
 * the start of a chunk re-render. Each change is compare-and-set on the state it expects.
 */
@ApplicationScoped
public class QueueControlRepository {
  private static final String SET_PRIORITY =
      "UPDATE render_job SET priority = ? WHERE id = ? AND status NOT IN ('SUCCEEDED','FAILED','CANCELLED')";

  /**
   * SUCCEEDED → RUNNING for the next version of the video; its timings restart (the re-render is
   * the pass they describe), and finished_at clears so retention waits for the new finish.
   */
  private static final String REOPEN_JOB =
      "UPDATE render_job SET status = 'RUNNING', video_version = video_version + 1, started_at = now(),"
          + " encoding_started_at = NULL, encode_progress_at = NULL, finished_at = NULL, error = NULL,"
          + " waiting_reason = NULL WHERE id = ? AND status = 'SUCCEEDED' AND intermediates_removed_at IS NULL"
          + " RETURNING video_version";

  /**
   * DONE → READY with the chunk's own seed. Its frames and latents stay those of the run the clip
   * was made from until the new run completes: the frames its neighbours took from it are read from
   * them.
   */
  private static final String REOPEN_CHUNK =
      "UPDATE chunk SET status = 'READY', seed_override = ?, step = 0, error = NULL, target_worker = NULL,"
          + " lease_expires_at = NULL, finished_at = NULL WHERE id = ? AND status = 'DONE'";

  private static final String OPEN_VERSION =
      "INSERT INTO render_video (job_id, version, chunk_index, chunk_seed) VALUES (?,?,?,?)";

  /** Sets an open job's priority; false when the job is finished (or missing). */
  public boolean setPriority(Connection c, UUID jobId, int priority) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SET_PRIORITY)) {
      s.setInt(1, priority);
      s.setObject(2, jobId);
      return s.executeUpdate() == 1;
    }
  }

  /** Records that {@code retry} retries {@code original}. */
  public void linkRetry(Connection c, UUID retry, UUID original) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE render_job SET retry_of = ? WHERE id = ?")) {
      s.setObject(1, original);
      s.setObject(2, retry);
      s.executeUpdate();
    }
  }

  /** The job {@code jobId} retries, if any. */
  public Optional<UUID> retryOf(Connection c, UUID jobId) throws SQLException {
    return column(c, "retry_of", jobId).map(UUID.class::cast);
  }

  /** The job's own webhook URL, as it was submitted. */
  public Optional<String> webhookUrl(Connection c, UUID jobId) throws SQLException {
    return column(c, "webhook_url", jobId).map(String.class::cast);
  }

  /**
   * Starts a re-render of chunk {@code chunkId} of the SUCCEEDED job with {@code seed}: the job is
   * RUNNING again for the next version of its video (whose row is opened), the chunk READY.
   *
   * @return the version the re-render will deliver; empty when the job was not SUCCEEDED with its
   *     intermediates, or the chunk not DONE (nothing changed then)
   */
  public OptionalInt startRerender(Connection c, UUID jobId, long chunkId, int index, long seed)
      throws SQLException {
    int version;
    try (PreparedStatement s = c.prepareStatement(REOPEN_JOB)) {
      s.setObject(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return OptionalInt.empty();
        version = r.getInt(1);
      }
    }
    try (PreparedStatement s = c.prepareStatement(REOPEN_CHUNK)) {
      s.setLong(1, seed);
      s.setLong(2, chunkId);
      if (s.executeUpdate() != 1)
        throw new IllegalStateException("chunk " + chunkId + " of a SUCCEEDED job is not DONE");
    }
    try (PreparedStatement s = c.prepareStatement(OPEN_VERSION)) {
      s.setObject(1, jobId);
      s.setInt(2, version);
      s.setInt(3, index);
      s.setLong(4, seed);
      s.executeUpdate();
    }
    return OptionalInt.of(version);
  }

  private static Optional<Object> column(Connection c, String column, UUID jobId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + column + " FROM render_job WHERE id = ?")) {
      s.setObject(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getObject(1)) : Optional.empty();
      }
    }
  }
}
