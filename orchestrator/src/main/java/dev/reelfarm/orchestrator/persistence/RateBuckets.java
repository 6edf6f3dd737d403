package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * The submission rate limit's buckets (table {@code submit_rate_bucket}), shared by every replica.
 * The rule that spends a bucket is the caller's; this class only keeps the state: {@link #lock}
 * locks the subject's row until the transaction ends, so two replicas never both spend its last
 * token.
 */
@ApplicationScoped
public class RateBuckets {

  /** A bucket's stored state: the tokens it held at {@code refilledAt}. */
  public record Bucket(double tokens, Instant refilledAt) {}

  /**
   * Locks {@code subject}'s bucket, creating it with {@code fullTokens} at {@code now} when it has
   * none, and returns its state.
   */
  public Bucket lock(Connection c, UUID subject, double fullTokens, Instant now)
      throws SQLException {
    // one statement creates a full bucket or locks the existing row, and returns its state
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO submit_rate_bucket AS b (subject, tokens, refilled_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (subject) DO UPDATE SET tokens = b.tokens"
                + " RETURNING tokens, refilled_at")) {
      s.setObject(1, subject);
      s.setDouble(2, fullTokens);
      s.setTimestamp(3, Timestamp.from(now));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new Bucket(r.getDouble(1), r.getTimestamp(2).toInstant());
      }
    }
  }

  /**
   * Stores what a take left in a bucket {@link #lock locked} by this transaction; its refill time
   * never moves back (a replica whose clock runs behind does not grant a refill twice).
   */
  public void store(Connection c, UUID subject, double tokensLeft, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE submit_rate_bucket SET tokens = ?, refilled_at = greatest(refilled_at, ?)"
                + " WHERE subject = ?")) {
      s.setDouble(1, tokensLeft);
      s.setTimestamp(2, Timestamp.from(now));
      s.setObject(3, subject);
      s.executeUpdate();
    }
  }
}
