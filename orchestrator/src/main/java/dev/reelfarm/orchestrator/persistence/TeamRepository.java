package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.TeamRequest;
import dev.reelfarm.schema.api.TeamView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Teams (table {@code team}): they own jobs and keys and carry the fair-share weight and quotas.
 */
@ApplicationScoped
public class TeamRepository {
  /** The built-in team of V9: jobs from before teams, and every job of a farm with auth off. */
  public static final UUID DEFAULT_TEAM = UUID.fromString("00000000-0000-0000-0000-000000000001");

  private static final String COLUMNS =
      "id, name, weight, max_concurrent_chunks, max_queued_jobs, gpu_seconds_per_day, created_at";

  /** Creates a team; empty when the name is taken. */
  public Optional<TeamView> create(Connection c, TeamRequest t) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO team (id, name, weight, max_concurrent_chunks, max_queued_jobs,"
                + " gpu_seconds_per_day) VALUES (?,?,?,?,?,?) ON CONFLICT (name) DO NOTHING"
                + " RETURNING "
                + COLUMNS)) {
      s.setObject(1, UUID.randomUUID());
      s.setString(2, t.name());
      s.setInt(3, t.weight() == null ? 1 : t.weight());
      setNullable(s, 4, t.maxConcurrentChunks(), Types.INTEGER);
      setNullable(s, 5, t.maxQueuedJobs(), Types.INTEGER);
      setNullable(s, 6, t.gpuSecondsPerDay(), Types.BIGINT);
      return one(s);
    }
  }

  /**
   * Sets the weight and the quotas that {@code t} gives (null fields are left as they are) and
   * makes the quotas named in {@code unlimited} (their API names, e.g. {@code maxQueuedJobs})
   * unlimited.
   */
  public Optional<TeamView> update(Connection c, UUID id, TeamRequest t, Set<String> unlimited)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE team SET weight = coalesce(?, weight),"
                + " max_concurrent_chunks = CASE WHEN ? THEN NULL"
                + " ELSE coalesce(?, max_concurrent_chunks) END,"
                + " max_queued_jobs = CASE WHEN ? THEN NULL ELSE coalesce(?, max_queued_jobs) END,"
                + " gpu_seconds_per_day = CASE WHEN ? THEN NULL"
                + " ELSE coalesce(?, gpu_seconds_per_day) END WHERE id = ? RETURNING "
                + COLUMNS)) {
      setNullable(s, 1, t.weight(), Types.INTEGER);
      s.setBoolean(2, unlimited.contains("maxConcurrentChunks"));
      setNullable(s, 3, t.maxConcurrentChunks(), Types.INTEGER);
      s.setBoolean(4, unlimited.contains("maxQueuedJobs"));
      setNullable(s, 5, t.maxQueuedJobs(), Types.INTEGER);
      s.setBoolean(6, unlimited.contains("gpuSecondsPerDay"));
      setNullable(s, 7, t.gpuSecondsPerDay(), Types.BIGINT);
      s.setObject(8, id);
      return one(s);
    }
  }

  /** A team by its id or, when {@code idOrName} is no UUID, by its name. */
  public Optional<TeamView> find(Connection c, String idOrName) throws SQLException {
    UUID id = uuidOrNull(idOrName);
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM team WHERE " + (id != null ? "id = ?" : "name = ?"))) {
      s.setObject(1, id != null ? id : idOrName);
      return one(s);
    }
  }

  public List<TeamView> list(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement("SELECT " + COLUMNS + " FROM team ORDER BY name");
        ResultSet r = s.executeQuery()) {
      List<TeamView> teams = new ArrayList<>();
      while (r.next()) teams.add(team(r));
      return teams;
    }
  }

  private static Optional<TeamView> one(PreparedStatement s) throws SQLException {
    try (ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(team(r)) : Optional.empty();
    }
  }

  private static TeamView team(ResultSet r) throws SQLException {
    return new TeamView(
        r.getObject("id", UUID.class),
        r.getString("name"),
        r.getInt("weight"),
        r.getObject("max_concurrent_chunks", Integer.class),
        r.getObject("max_queued_jobs", Integer.class),
        r.getObject("gpu_seconds_per_day", Long.class),
        r.getTimestamp("created_at").toInstant());
  }

  private static void setNullable(PreparedStatement s, int i, Number value, int sqlType)
      throws SQLException {
    if (value == null) s.setNull(i, sqlType);
    else s.setObject(i, value);
  }

  static UUID uuidOrNull(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
