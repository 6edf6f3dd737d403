package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * SQL for a chunk's runs: dispatch epochs, fencing and leases. Every UPDATE is compare-and-set on
 * the chunk's state and current run, so a late or stale report changes nothing.
 */
@ApplicationScoped
public class ChunkRuns {
  /** A new dispatch epoch; a task aimed at a worker holds a lease until its run starts. */
  private static final String MARK_DISPATCHED =
      "UPDATE chunk SET status = 'DISPATCHED', dispatched_at = now(), target_worker = ?, dispatch_epoch = dispatch_epoch + 1,"
          + " lease_expires_at = CASE WHEN ?::text IS NULL THEN NULL ELSE now() + make_interval(secs => ?) END"
          + " WHERE id = ? AND status = 'READY' RETURNING dispatch_epoch";

  /**
   * Monotonic fencing: a run takes a DISPATCHED chunk only for its latest dispatch (a redelivered
   * task of an earlier dispatch is refused; epoch 0, from workers that predate epochs, is taken),
   * and supersedes a RUNNING one only from a newer epoch, or from the same epoch on the same worker
   * (its local retry, which is not a new attempt).
   */
  private static final String START_RUN =
      "UPDATE chunk SET status = 'RUNNING', attempt = attempt + CASE WHEN status = 'DISPATCHED' OR ? > run_epoch THEN 1 ELSE 0 END,"
          + " run_id = ?, run_epoch = ?, worker_id = ?, step = 0, steps = ?, started_at = now(), error = NULL,"
          + " lease_expires_at = now() + make_interval(secs => ?)"
          + " WHERE id = ? AND run_id IS DISTINCT FROM ? AND ((status = 'DISPATCHED' AND (? >= dispatch_epoch OR ? = 0))"
          + " OR (status = 'RUNNING' AND (? > run_epoch OR (? = run_epoch AND worker_id = ?))))";

  private static final String RECORD_STEP =
      "UPDATE chunk SET step = ?, preview_uri = coalesce(?, preview_uri), lease_expires_at = now() + make_interval(secs => ?)"
          + " WHERE id = ? AND status = 'RUNNING' AND run_id = ? AND step < ? RETURNING chunk_index";
  private static final String COMPLETE_RUN =
      "UPDATE chunk SET status = 'DONE', step = steps, frames_uri = ?, latents_uri = ?, finished_at = now(), lease_expires_at = NULL,"
          + " text_ms = ?, denoise_ms = ?, decode_ms = ? WHERE id = ? AND status = 'RUNNING' AND run_id = ?";
  private static final String FAIL_RUN =
      "UPDATE chunk SET status = 'READY', error = ?, target_worker = NULL, lease_expires_at = NULL"
          + " WHERE id = ? AND status = 'RUNNING' AND run_id = ?";

  /**
   * READY → DISPATCHED under a new dispatch epoch, remembering which worker's partition the task
   * was sent to (null: by key; such a task holds no lease, it may wait behind a busy worker).
   *
   * @return the chunk's new dispatch epoch, or empty when it was not READY
   */
  public OptionalInt markDispatched(
      Connection c, long chunkId, String targetWorker, int leaseSeconds) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(MARK_DISPATCHED)) {
      s.setString(1, targetWorker);
      s.setString(2, targetWorker);
      s.setInt(3, leaseSeconds);
      s.setLong(4, chunkId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? OptionalInt.of(r.getInt(1)) : OptionalInt.empty();
      }
    }
  }

  /**
   * A worker started a run of dispatch {@code epoch}: it becomes the chunk's current run, to which
   * results are fenced, if the epoch allows it (see {@link #START_RUN}); its lease starts.
   */
  public boolean startRun(
      Connection c,
      long chunkId,
      UUID runId,
      int epoch,
      String workerId,
      int steps,
      int leaseSeconds)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(START_RUN)) {
      s.setInt(1, epoch);
      s.setObject(2, runId);
      s.setInt(3, epoch);
      s.setString(4, workerId);
      s.setInt(5, steps);
      s.setInt(6, leaseSeconds);
      s.setLong(7, chunkId);
      s.setObject(8, runId);
      s.setInt(9, epoch);
      s.setInt(10, epoch);
      s.setInt(11, epoch);
      s.setInt(12, epoch);
      s.setString(13, workerId);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * Records a step of the chunk's current run (a later step only), which renews its lease.
   *
   * @return the chunk's index, or empty when the step was not recorded
   */
  public OptionalInt recordStep(
      Connection c, long chunkId, UUID runId, int step, String previewUri, int leaseSeconds)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RECORD_STEP)) {
      s.setInt(1, step);
      s.setString(2, previewUri);
      s.setInt(3, leaseSeconds);
      s.setLong(4, chunkId);
      s.setObject(5, runId);
      s.setInt(6, step);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? OptionalInt.of(r.getInt(1)) : OptionalInt.empty();
      }
    }
  }

  /** Accepts a result only from the chunk's current run. */
  public boolean completeRun(
      Connection c,
      long chunkId,
      UUID runId,
      String framesUri,
      String latentsUri,
      long textMs,
      long denoiseMs,
      long decodeMs)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COMPLETE_RUN)) {
      s.setString(1, framesUri);
      s.setString(2, latentsUri);
      s.setLong(3, textMs);
      s.setLong(4, denoiseMs);
      s.setLong(5, decodeMs);
      s.setLong(6, chunkId);
      s.setObject(7, runId);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * The current run failed: the chunk is READY again, for the dispatcher to place on a worker its
   * failure memory allows ({@link #failChunk} when it is a poison chunk).
   */
  public boolean failRun(Connection c, long chunkId, UUID runId, String error) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FAIL_RUN)) {
      s.setString(1, error);
      s.setLong(2, chunkId);
      s.setObject(3, runId);
      return s.executeUpdate() == 1;
    }
  }

  /** A chunk that failed on too many workers is FAILED for good. */
  public void failChunk(Connection c, long chunkId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = 'FAILED', finished_at = now(), lease_expires_at = NULL WHERE id = ?")) {
      s.setLong(1, chunkId);
      s.executeUpdate();
    }
  }
}
