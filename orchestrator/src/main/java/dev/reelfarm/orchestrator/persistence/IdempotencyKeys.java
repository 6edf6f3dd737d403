package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotency keys (table {@code idempotency_key}): a key is claimed in the transaction that
 * creates its job, so PostgreSQL's primary key, not the orchestrator's memory, decides which of
 * several concurrent requests with one key creates the job.
 */
@ApplicationScoped
public class IdempotencyKeys {

  /** A key within its namespace ({@code scope}: '' until teams exist, then the team). */
  public record Key(String scope, String value) {}

  /**
   * What the first request with a key got: replayed to every later one. {@code id}: what it created
   * (the batch of a batch request, else the job).
   */
  public record Stored(String requestHash, UUID id, int status, String body) {}

  /**
   * Claims {@code key} for a request with {@code requestHash}, or returns the response stored for
   * it. While another transaction holds an uncommitted claim of the key this waits for it: after
   * its commit the stored response is returned, after its rollback the claim is this one's. An
   * expired key that is not pruned yet is claimed afresh.
   *
   * @return empty when the caller now holds the claim and must {@link #complete} it in the same
   *     transaction
   */
  public Optional<Stored> claim(Connection c, Key key, String requestHash, Instant expiresAt)
      throws SQLException {
    // A key pruned between the failed claim and the read is simply claimed on the next round.
    for (int round = 0; round < 3; round++) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO idempotency_key (key_scope, idempotency_key, request_hash, expires_at)"
                  + " VALUES (?,?,?,?) ON CONFLICT (key_scope, idempotency_key) DO UPDATE SET"
                  + " request_hash = EXCLUDED.request_hash, job_id = NULL, response_status = NULL,"
                  + " response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at"
                  + " WHERE idempotency_key.expires_at <= now()")) {
        s.setString(1, key.scope());
        s.setString(2, key.value());
        s.setString(3, requestHash);
        s.setTimestamp(4, Timestamp.from(expiresAt));
        if (s.executeUpdate() == 1) return Optional.empty();
      }
      Optional<Stored> stored = find(c, key);
      if (stored.isPresent()) return stored;
    }
    throw new IllegalStateException("idempotency key " + key + " is neither claimable nor stored");
  }

  /**
   * Records the job (a batch's first shot's, with {@code batchId}; else null) and response of a key
   * this transaction claimed.
   */
  public void complete(Connection c, Key key, UUID jobId, UUID batchId, int status, String body)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE idempotency_key SET job_id = ?, batch_id = ?, response_status = ?,"
                + " response_body = ? WHERE key_scope = ? AND idempotency_key = ? AND job_id IS NULL")) {
      s.setObject(1, jobId);
      s.setObject(2, batchId);
      s.setInt(3, status);
      s.setString(4, body);
      s.setString(5, key.scope());
      s.setString(6, key.value());
      if (s.executeUpdate() != 1)
        throw new IllegalStateException("idempotency key " + key + " is not claimed by this one");
    }
  }

  /** The committed response stored for {@code key}, if it has one. */
  public Optional<Stored> find(Connection c, Key key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT request_hash, coalesce(batch_id, job_id), response_status, response_body"
                + " FROM idempotency_key"
                + " WHERE key_scope = ? AND idempotency_key = ? AND job_id IS NOT NULL")) {
      s.setString(1, key.scope());
      s.setString(2, key.value());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return Optional.empty();
        return Optional.of(
            new Stored(r.getString(1), r.getObject(2, UUID.class), r.getInt(3), r.getString(4)));
      }
    }
  }

  /** Deletes the keys whose time is up; returns how many. */
  public int pruneExpired(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate("DELETE FROM idempotency_key WHERE expires_at <= now()");
    }
  }
}
