package dev.reelfarm.orchestrator.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.BatchView;
import dev.reelfarm.schema.api.RenderEvent;
import dev.reelfarm.schema.api.WebhookEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a job's events into webhook deliveries, in the transaction that appends the event (the
 * transactional outbox: a terminal transition and its deliveries commit together, or neither does).
 * The job's own {@code webhook} URL gets its terminal event and its storyboard's {@code
 * render.awaiting_approval} (a reviewer must hear of it); each endpoint of the job's team gets the
 * events its filter names, {@code render.progress} at most once per its interval. Stateless.
 */
public final class WebhookOutbox {
  private static final ObjectMapper JSON = ApiJson.mapper();

  private static final String JOB_WEBHOOK =
      "INSERT INTO webhook_delivery (id, job_id, url, event_type, payload)"
          + " SELECT ?, id, webhook_url, ?, ? FROM render_job"
          + " WHERE id = ? AND webhook_url IS NOT NULL";
  private static final String TEAM_ENDPOINTS =
      "INSERT INTO webhook_delivery (id, job_id, endpoint_id, url, event_type, payload)"
          + " SELECT gen_random_uuid(), j.id, e.id, e.url, ?, ? FROM render_job j"
          + " JOIN webhook_endpoint e ON e.team_id = j.team_id"
          + " WHERE j.id = ? AND ? = ANY (e.events)";
  private static final String PROGRESS_DUE =
      " AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.endpoint_id = e.id"
          + " AND d.job_id = j.id AND d.event_type = 'render.progress'"
          + " AND d.created_at > now() - make_interval(secs => e.progress_interval_seconds))";

  /** Records the job's own webhook URL (at submit, in the job's transaction). */
  public void setJobWebhook(Connection c, UUID jobId, String url) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE render_job SET webhook_url = ? WHERE id = ?")) {
      s.setString(1, url);
      s.setObject(2, jobId);
      s.executeUpdate();
    }
  }

  /** Writes the deliveries {@code event} of job {@code jobId} causes (none for most events). */
  public void onEvent(Connection c, UUID jobId, RenderEvent event) throws SQLException {
    WebhookEvent type = typeOf(event);
    if (type == null) return;
    String payload = payload(type, event);
    if (type != WebhookEvent.RENDER_PROGRESS) {
      try (PreparedStatement s = c.prepareStatement(JOB_WEBHOOK)) {
        s.setObject(1, UUID.randomUUID());
        s.setString(2, type.id());
        s.setString(3, payload);
        s.setObject(4, jobId);
        s.executeUpdate();
      }
    }
    String sql =
        type == WebhookEvent.RENDER_PROGRESS
            ? TEAM_ENDPOINTS + " AND e.progress_interval_seconds IS NOT NULL" + PROGRESS_DUE
            : TEAM_ENDPOINTS;
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, type.id());
      s.setString(2, payload);
      s.setObject(3, jobId);
      s.setString(4, type.id());
      s.executeUpdate();
    }
  }

  /**
   * Writes {@code batch.completed} for a batch that just reached its final status: to the batch's
   * own {@code webhook} URL and to every endpoint of its team whose filter names the event.
   */
  public void onBatchCompleted(Connection c, BatchRow batch, BatchView view) throws SQLException {
    String payload = payload(WebhookEvent.BATCH_COMPLETED, Instant.now(), view);
    if (batch.webhookUrl() != null) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO webhook_delivery (id, batch_id, url, event_type, payload)"
                  + " VALUES (?,?,?,?,?)")) {
        s.setObject(1, UUID.randomUUID());
        s.setObject(2, batch.id());
        s.setString(3, batch.webhookUrl());
        s.setString(4, WebhookEvent.BATCH_COMPLETED.id());
        s.setString(5, payload);
        s.executeUpdate();
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_delivery (id, batch_id, endpoint_id, url, event_type, payload)"
                + " SELECT gen_random_uuid(), ?, e.id, e.url, ?, ? FROM webhook_endpoint e"
                + " WHERE e.team_id = ? AND ? = ANY (e.events)")) {
      s.setObject(1, batch.id());
      s.setString(2, WebhookEvent.BATCH_COMPLETED.id());
      s.setString(3, payload);
      s.setObject(4, batch.teamId());
      s.setString(5, WebhookEvent.BATCH_COMPLETED.id());
      s.executeUpdate();
    }
  }

  /** The webhook event a job event is, if any. */
  static WebhookEvent typeOf(RenderEvent event) {
    if (event instanceof RenderEvent.Succeeded) return WebhookEvent.RENDER_SUCCEEDED;
    if (event instanceof RenderEvent.Failed) return WebhookEvent.RENDER_FAILED;
    if (event instanceof RenderEvent.Cancelled) return WebhookEvent.RENDER_CANCELLED;
    if (event instanceof RenderEvent.Step) return WebhookEvent.RENDER_PROGRESS;
    if (event instanceof RenderEvent.AwaitingApproval) return WebhookEvent.RENDER_AWAITING_APPROVAL;
    return null;
  }

  /**
   * The body, in the Standard Webhooks shape: {@code type}, {@code timestamp} (of the event) and
   * {@code data} (the job's event as the SSE stream carries it).
   */
  private static String payload(WebhookEvent type, RenderEvent event) {
    return payload(type, event.at() == null ? Instant.now() : event.at(), event);
  }

  private static String payload(WebhookEvent type, Instant at, Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type.id());
    body.put("timestamp", at);
    body.put("data", data);
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
