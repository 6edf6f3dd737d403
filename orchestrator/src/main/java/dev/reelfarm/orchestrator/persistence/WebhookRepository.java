package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.WebhookDeliveryStatus;
import dev.reelfarm.schema.api.WebhookDeliveryView;
import dev.reelfarm.schema.api.WebhookEndpointView;
import dev.reelfarm.schema.api.WebhookEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Team webhook endpoints, and the deliveries and attempts of every webhook. */
@ApplicationScoped
public class WebhookRepository {
  /** Deliveries listed at most per job or endpoint. */
  public static final int LIST_LIMIT = 100;

  /** A delivery claimed for one attempt ({@code secret} null: the job's own webhook). */
  public record Claimed(
      UUID id, String url, String payload, int attempt, Instant createdAt, String secret) {
    /** The {@code webhook-id} header: the same on every attempt. */
    public String messageId() {
      return messageId(id);
    }

    public static String messageId(UUID id) {
      return "msg_" + id;
    }
  }

  /** What one attempt found. {@code statusCode} null: no HTTP answer. */
  public record Attempt(
      int attempt, Instant startedAt, long durationMs, Integer statusCode, String error) {}

  public WebhookEndpointView createEndpoint(
      Connection c,
      UUID teamId,
      String url,
      List<WebhookEvent> events,
      Integer progressIntervalSeconds,
      String description,
      String secret)
      throws SQLException {
    UUID id = UUID.randomUUID();
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_endpoint (id, team_id, url, secret, events,"
                + " progress_interval_seconds, description) VALUES (?,?,?,?,?,?,?)"
                + " RETURNING created_at")) {
      s.setObject(1, id);
      s.setObject(2, teamId);
      s.setString(3, url);
      s.setString(4, secret);
      s.setArray(5, c.createArrayOf("text", events.stream().map(WebhookEvent::id).toArray()));
      s.setObject(6, progressIntervalSeconds);
      s.setString(7, description);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new WebhookEndpointView(
            id,
            url,
            events,
            progressIntervalSeconds,
            description,
            r.getTimestamp(1).toInstant(),
            secret);
      }
    }
  }

  /** The team's endpoints, oldest first, without their secrets. */
  public List<WebhookEndpointView> endpoints(Connection c, UUID teamId) throws SQLException {
    return endpointQuery(c, "team_id = ? ORDER BY created_at, id", teamId);
  }

  public Optional<WebhookEndpointView> endpoint(Connection c, UUID teamId, UUID id)
      throws SQLException {
    return endpointQuery(c, "team_id = ? AND id = ?", teamId, id).stream().findFirst();
  }

  /** Deletes the endpoint with its deliveries; false: the team has no such endpoint. */
  public boolean deleteEndpoint(Connection c, UUID teamId, UUID id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM webhook_endpoint WHERE team_id = ? AND id = ?")) {
      s.setObject(1, teamId);
      s.setObject(2, id);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * Claims up to {@code limit} due deliveries for one attempt each: counts the attempt and moves
   * the delivery's due time past the attempt's timeout (a lease), so a sender that dies mid-attempt
   * leaves it to be tried again then. SKIP LOCKED keeps a row with one claimer.
   */
  public List<Claimed> claimDue(Connection c, int limit, int leaseSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_delivery d SET attempts = attempts + 1,"
                + " next_attempt_at = now() + make_interval(secs => ?)"
                + " WHERE id IN (SELECT id FROM webhook_delivery WHERE status = 'PENDING'"
                + " AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT ?"
                + " FOR UPDATE SKIP LOCKED)"
                + " RETURNING id, url, payload, attempts, created_at,"
                + " (SELECT secret FROM webhook_endpoint e WHERE e.id = d.endpoint_id)")) {
      s.setInt(1, leaseSeconds);
      s.setInt(2, limit);
      List<Claimed> claimed = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          claimed.add(
              new Claimed(
                  r.getObject(1, UUID.class),
                  r.getString(2),
                  r.getString(3),
                  r.getInt(4),
                  r.getTimestamp(5).toInstant(),
                  r.getString(6)));
      }
      return claimed;
    }
  }

  /**
   * Records an attempt and where its delivery now stands: {@code status} DELIVERED or GAVE_UP
   * (finished), or PENDING again from {@code nextAttemptAt}. Fenced by the attempt number: a sender
   * whose claim lapsed and was claimed again changes nothing but its attempt's record.
   */
  public boolean recordAttempt(
      Connection c, UUID deliveryId, Attempt a, WebhookDeliveryStatus status, Instant nextAttemptAt)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_attempt (delivery_id, attempt, started_at, duration_ms,"
                + " status_code, error) VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
      s.setObject(1, deliveryId);
      s.setInt(2, a.attempt());
      s.setTimestamp(3, Timestamp.from(a.startedAt()));
      s.setLong(4, a.durationMs());
      s.setObject(5, a.statusCode());
      s.setString(6, a.error());
      s.executeUpdate();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_delivery SET status = ?, next_attempt_at = coalesce(?, next_attempt_at),"
                + " finished_at = CASE WHEN ? THEN now() END"
                + " WHERE id = ? AND status = 'PENDING' AND attempts = ?")) {
      s.setString(1, status.name());
      s.setTimestamp(2, nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt));
      s.setBoolean(3, status.isFinished());
      s.setObject(4, deliveryId);
      s.setInt(5, a.attempt());
      return s.executeUpdate() == 1;
    }
  }

  /** A job's deliveries, newest first; empty when the job is not the team's. */
  public List<WebhookDeliveryView> forJob(Connection c, UUID teamId, UUID jobId)
      throws SQLException {
    return deliveries(
        c,
        "d.job_id = ? AND EXISTS (SELECT 1 FROM render_job j WHERE j.id = d.job_id"
            + " AND j.team_id = ?)",
        jobId,
        teamId);
  }

  /** An endpoint's deliveries, newest first. */
  public List<WebhookDeliveryView> forEndpoint(Connection c, UUID endpointId) throws SQLException {
    return deliveries(c, "d.endpoint_id = ?", endpointId);
  }

  private static List<WebhookEndpointView> endpointQuery(
      Connection c, String where, Object... params) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, url, events, progress_interval_seconds, description, created_at"
                + " FROM webhook_endpoint WHERE "
                + where)) {
      for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
      List<WebhookEndpointView> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          List<WebhookEvent> events =
              Arrays.stream((String[]) r.getArray(3).getArray()).map(WebhookEvent::fromId).toList();
          rows.add(
              new WebhookEndpointView(
                  r.getObject(1, UUID.class),
                  r.getString(2),
                  events,
                  (Integer) r.getObject(4),
                  r.getString(5),
                  r.getTimestamp(6).toInstant(),
                  null));
        }
      }
      return rows;
    }
  }

  private static List<WebhookDeliveryView> deliveries(Connection c, String where, Object... params)
      throws SQLException {
    List<WebhookDeliveryView> views = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT d.id, d.job_id, d.endpoint_id, d.url, d.event_type, d.status, d.created_at,"
                + " d.next_attempt_at, d.finished_at, d.batch_id FROM webhook_delivery d WHERE "
                + where
                + " ORDER BY d.created_at DESC, d.id LIMIT "
                + LIST_LIMIT)) {
      for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          UUID id = r.getObject(1, UUID.class);
          var status = WebhookDeliveryStatus.valueOf(r.getString(6));
          views.add(
              new WebhookDeliveryView(
                  Claimed.messageId(id),
                  r.getObject(2, UUID.class),
                  r.getObject(10, UUID.class),
                  r.getObject(3, UUID.class),
                  r.getString(4),
                  WebhookEvent.fromId(r.getString(5)),
                  status,
                  r.getTimestamp(7).toInstant(),
                  status.isFinished() ? null : r.getTimestamp(8).toInstant(),
                  r.getTimestamp(9) == null ? null : r.getTimestamp(9).toInstant(),
                  attempts(c, id)));
        }
      }
    }
    return views;
  }

  private static List<WebhookDeliveryView.Attempt> attempts(Connection c, UUID deliveryId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT attempt, started_at, duration_ms, status_code, error FROM webhook_attempt"
                + " WHERE delivery_id = ? ORDER BY attempt")) {
      s.setObject(1, deliveryId);
      List<WebhookDeliveryView.Attempt> attempts = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          attempts.add(
              new WebhookDeliveryView.Attempt(
                  r.getInt(1),
                  r.getTimestamp(2).toInstant(),
                  r.getLong(3),
                  (Integer) r.getObject(4),
                  r.getString(5)));
      }
      return attempts;
    }
  }
}
