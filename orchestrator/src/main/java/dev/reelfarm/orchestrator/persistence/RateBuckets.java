package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.orchestrator.scheduling.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The submission rate limit's buckets (table {@code submit_rate_bucket}), shared by every replica:
 * a take locks the subject's row, so two replicas never both spend its last token.
 */
@ApplicationScoped
public class RateBuckets {

  /** Takes a token of {@code subject}'s bucket at {@code now} under {@code rule}. */
  public TokenBucket.Take take(Connection c, UUID subject, TokenBucket rule, Instant now)
      throws SQLException {
    double tokens;
    Instant refilled;
    // one statement creates a full bucket or locks the existing row, and returns its state
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO submit_rate_bucket AS b (subject, tokens, refilled_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (subject) DO UPDATE SET tokens = b.tokens"
                + " RETURNING tokens, refilled_at")) {
      s.setObject(1, subject);
      s.setDouble(2, rule.full());
      s.setTimestamp(3, Timestamp.from(now));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        tokens = r.getDouble(1);
        refilled = r.getTimestamp(2).toInstant();
      }
    }
    TokenBucket.Take take = rule.take(tokens, Duration.between(refilled, now).toNanos());
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE submit_rate_bucket SET tokens = ?, refilled_at = greatest(refilled_at, ?)"
                + " WHERE subject = ?")) {
      s.setDouble(1, take.tokensLeft());
      s.setTimestamp(2, Timestamp.from(now));
      s.setObject(3, subject);
      s.executeUpdate();
    }
    return take;
  }
}
