package dev.reelfarm.orchestrator.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.RenderEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The per-job event log behind the SSE streams. Events are appended in the transaction of the state
 * change they describe, numbered 1, 2, 3, ... per job without gaps (the counter is on the job row,
 * whose lock serialises appends), so a client resuming with Last-Event-ID misses nothing and sees
 * nothing twice.
 */
@ApplicationScoped
public class JobEventLog {
  private static final ObjectMapper JSON = ApiJson.mapper();
  private final WebhookOutbox webhooks = new WebhookOutbox();
  private final Finished finished;

  /**
   * Told of every job's terminal event (succeeded, failed, cancelled) in the transaction that
   * appends it, whichever path finished the job: a batch aggregates its shots there.
   */
  @FunctionalInterface
  public interface Finished {
    void jobFinished(Connection c, UUID jobId) throws SQLException;
  }

  /** A log that tells no one of finished jobs (tests of jobs without batches). */
  public JobEventLog() {
    this((c, jobId) -> {});
  }

  @Inject
  public JobEventLog(Finished finished) {
    this.finished = finished;
  }

  /** One stored event: global id (farm stream cursor), per-job seq (job stream cursor). */
  public record EventRow(long id, UUID jobId, int seq, String type, String payload, Instant at) {}

  /** Builds the event once its number and time are known. */
  @FunctionalInterface
  public interface Stamped {
    RenderEvent at(int seq, Instant at);
  }

  /**
   * Appends the job's next event, with the webhook deliveries it causes; a job that does not exist
   * gets none.
   */
  public void append(Connection c, UUID jobId, Stamped event) throws SQLException {
    int seq;
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq")) {
      s.setObject(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return;
        seq = r.getInt(1);
      }
    }
    RenderEvent payload = event.at(seq, Instant.now());
    try (PreparedStatement s =
        c.prepareStatement("INSERT INTO job_event (job_id, seq, type, payload) VALUES (?,?,?,?)")) {
      s.setObject(1, jobId);
      s.setInt(2, seq);
      s.setString(3, payload.type());
      s.setString(4, json(payload));
      s.executeUpdate();
    }
    webhooks.onEvent(c, jobId, payload);
    if (payload instanceof RenderEvent.Succeeded
        || payload instanceof RenderEvent.Failed
        || payload instanceof RenderEvent.Cancelled) finished.jobFinished(c, jobId);
  }

  public List<EventRow> forJob(Connection c, UUID jobId, int afterSeq, int limit)
      throws SQLException {
    return query(
        c,
        "SELECT * FROM job_event WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        jobId,
        afterSeq,
        limit);
  }

  /** Every job's events after {@code afterId}; only {@code team}'s jobs' unless it is null. */
  public List<EventRow> farmWide(Connection c, UUID team, long afterId, int limit)
      throws SQLException {
    if (team == null)
      return query(c, "SELECT * FROM job_event WHERE id > ? ORDER BY id LIMIT ?", afterId, limit);
    return query(
        c,
        "SELECT e.* FROM job_event e JOIN render_job j ON j.id = e.job_id"
            + " WHERE e.id > ? AND j.team_id = ? ORDER BY e.id LIMIT ?",
        afterId,
        team,
        limit);
  }

  public long lastId(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM job_event");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static List<EventRow> query(Connection c, String sql, Object... params)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
      List<EventRow> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(
              new EventRow(
                  r.getLong("id"),
                  r.getObject("job_id", UUID.class),
                  r.getInt("seq"),
                  r.getString("type"),
                  r.getString("payload"),
                  r.getTimestamp("created_at").toInstant()));
        }
      }
      return rows;
    }
  }

  private static String json(RenderEvent payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
