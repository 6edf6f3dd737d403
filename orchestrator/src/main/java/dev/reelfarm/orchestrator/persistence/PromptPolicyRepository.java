package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A team's own prompt rules (table {@code team_prompt_policy}), as the JSON they were set as. */
@ApplicationScoped
public class PromptPolicyRepository {

  /** A team's rules as stored: a JSON array of rules, and when they were set. */
  public record Stored(String rulesJson, Instant updatedAt) {}

  public Optional<Stored> find(Connection c, UUID team) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT rules, updated_at FROM team_prompt_policy WHERE team_id = ?")) {
      s.setObject(1, team);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return Optional.empty();
        return Optional.of(
            new Stored(r.getString("rules"), r.getTimestamp("updated_at").toInstant()));
      }
    }
  }

  /** Replaces the team's rules with {@code rulesJson} (a JSON array, already validated). */
  public Stored replace(Connection c, UUID team, String rulesJson) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO team_prompt_policy (team_id, rules) VALUES (?, ?::jsonb)"
                + " ON CONFLICT (team_id) DO UPDATE SET rules = excluded.rules,"
                + " updated_at = clock_timestamp() RETURNING rules, updated_at")) {
      s.setObject(1, team);
      s.setString(2, rulesJson);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new Stored(r.getString("rules"), r.getTimestamp("updated_at").toInstant());
      }
    }
  }
}
