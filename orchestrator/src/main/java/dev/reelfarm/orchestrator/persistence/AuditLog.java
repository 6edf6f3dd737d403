package dev.reelfarm.orchestrator.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.AuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who did what and when (table {@code audit_log}): written in the transaction of the change it
 * records where there is one, so a change and its audit line commit together.
 */
@ApplicationScoped
public class AuditLog {
  private static final ObjectMapper JSON = ApiJson.mapper();

  /** Who acted: a key and its team (both null when auth is off). */
  public record Actor(UUID keyId, UUID teamId) {}

  public void record(
      Connection c,
      Actor actor,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> detail)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO audit_log (actor_key_id, actor_team_id, action, target_type, target_id,"
                + " detail) VALUES (?,?,?,?,?,?::jsonb)")) {
      s.setObject(1, actor.keyId());
      s.setObject(2, actor.teamId());
      s.setString(3, action);
      s.setString(4, targetType);
      s.setString(5, targetId);
      s.setString(6, JSON.writeValueAsString(detail));
      s.executeUpdate();
    } catch (IOException e) {
      throw new IllegalStateException("an audit detail is plain JSON", e);
    }
  }

  /** Up to {@code limit} entries older than id {@code before} (null: the newest), newest first. */
  public List<AuditEntry> page(Connection c, int limit, Long before) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM audit_log WHERE (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?")) {
      s.setObject(1, before);
      s.setObject(2, before);
      s.setInt(3, limit);
      List<AuditEntry> page = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          page.add(
              new AuditEntry(
                  r.getLong("id"),
                  r.getTimestamp("at").toInstant(),
                  r.getObject("actor_key_id", UUID.class),
                  r.getObject("actor_team_id", UUID.class),
                  r.getString("action"),
                  r.getString("target_type"),
                  r.getString("target_id"),
                  json(r.getString("detail"))));
        }
      }
      return page;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String text) throws SQLException {
    try {
      return JSON.readValue(text, Map.class);
    } catch (IOException e) {
      throw new SQLException("audit_log.detail is not JSON", e);
    }
  }
}
