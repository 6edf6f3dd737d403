package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.ReviewMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of storyboard reviews ({@code render_review}): a review job's round, its waits and its
 * approval, and the reroll's reset of the anchor chunks. The job's state changes themselves go
 * through {@link RenderRepository#transitionJob}; every UPDATE here is compare-and-set as well.
 */
@ApplicationScoped
public class ReviewRepository {
  private static final String END_WAIT =
      " waited_ms = waited_ms + coalesce((extract(epoch FROM now() - awaiting_since) * 1000)::bigint, 0),"
          + " awaiting_since = NULL";

  /** A job's review: its kind, the anchor pass shown and the time waited over every round. */
  public record Review(
      ReviewMode mode, int round, Instant awaitingSince, long waitedMs, Instant approvedAt) {}

  public void insert(Connection c, UUID jobId, ReviewMode mode) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO render_review (job_id, kind) VALUES (?, ?)")) {
      s.setObject(1, jobId);
      s.setString(2, mode.id());
      s.executeUpdate();
    }
  }

  /** The job's review; empty for a job that asked for none. */
  public Optional<Review> find(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM render_review WHERE job_id = ?")) {
      s.setObject(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return Optional.empty();
        return Optional.of(
            new Review(
                ReviewMode.find(r.getString("kind")).orElseThrow(),
                r.getInt("round"),
                Rows.instant(r, "awaiting_since"),
                r.getLong("waited_ms"),
                Rows.instant(r, "approved_at")));
      }
    }
  }

  /** The current round starts waiting; false when it is approved or already waiting. */
  public boolean startWaiting(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_review SET awaiting_since = now() WHERE job_id = ?"
                + " AND awaiting_since IS NULL AND approved_at IS NULL")) {
      s.setObject(1, jobId);
      return s.executeUpdate() == 1;
    }
  }

  /** The waiting storyboard is approved: the infills may be released. The review after. */
  public Optional<Review> approve(Connection c, UUID jobId) throws SQLException {
    return endWait(c, jobId, "approved_at = now(),");
  }

  /** The waiting storyboard is rejected for a new anchor pass: the round goes up. */
  public Optional<Review> nextRound(Connection c, UUID jobId) throws SQLException {
    return endWait(c, jobId, "round = round + 1,");
  }

  /** The waiting storyboard is rejected and the job cancelled: only its wait ends. */
  public Optional<Review> endWaiting(Connection c, UUID jobId) throws SQLException {
    return endWait(c, jobId, "");
  }

  private Optional<Review> endWait(Connection c, UUID jobId, String change) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_review SET "
                + change
                + END_WAIT
                + " WHERE job_id = ? AND awaiting_since IS NOT NULL AND approved_at IS NULL")) {
      s.setObject(1, jobId);
      if (s.executeUpdate() != 1) return Optional.empty();
    }
    return find(c, jobId);
  }

  /**
   * The job's DONE anchor chunks are rendered again: their runs' times are kept in {@code
   * discarded_chunk_run} (the team is charged for them), and each becomes READY (no dependencies)
   * or PENDING, with no frames, latents or timings. Their next dispatch is a new epoch, so a late
   * report of an old run is dropped as any superseded run's is.
   *
   * @return how many anchors will render again
   */
  public int resetAnchors(Connection c, UUID jobId, String reason) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO discarded_chunk_run (chunk_id, job_id, started_at, finished_at, reason)"
                + " SELECT id, job_id, started_at, finished_at, ? FROM chunk WHERE job_id = ?"
                + " AND role = 'ANCHOR' AND status = 'DONE' AND started_at IS NOT NULL")) {
      s.setString(1, reason);
      s.setObject(2, jobId);
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = CASE WHEN cardinality(depends_on) = 0 THEN 'READY' ELSE 'PENDING' END,"
                + " step = 0, frames_uri = NULL, latents_uri = NULL, preview_uri = NULL, error = NULL,"
                + " worker_id = NULL, target_worker = NULL, lease_expires_at = NULL, dispatched_at = NULL,"
                + " started_at = NULL, finished_at = NULL, text_ms = NULL, denoise_ms = NULL, decode_ms = NULL"
                + " WHERE job_id = ? AND role = 'ANCHOR' AND status = 'DONE'")) {
      s.setObject(1, jobId);
      return s.executeUpdate();
    }
  }

  /** The seed the job's chunks render with from now on (a reroll's). */
  public void setSeed(Connection c, UUID jobId, long seed) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE render_job SET seed = ? WHERE id = ?")) {
      s.setLong(1, seed);
      s.setObject(2, jobId);
      s.executeUpdate();
    }
  }
}
