package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for sharing the farm between teams: the READY chunks the dispatcher may take, per team; each
 * team's weight, cap, chunks in flight and usage (chunk-seconds from the chunks' start and finish
 * times); and a team's standing against its submission quotas.
 */
@ApplicationScoped
public class TeamShares {
  /** Priority order inside a team, as the dispatcher has always taken chunks. */
  private static final String PRIORITY_ORDER =
      "j.priority DESC, j.created_at, ch.critical_path DESC, ch.chunk_index";

  /**
   * Each team's first {@code ?} READY chunks of live jobs, in farm-wide priority order, locked
   * (rows another dispatcher holds are skipped). The status is checked again once locked.
   */
  private static final String LOCK_READY_CHUNKS =
      "WITH ranked AS (SELECT ch.id, row_number() OVER (PARTITION BY j.team_id ORDER BY "
          + PRIORITY_ORDER
          + ") AS rank FROM chunk ch JOIN render_job j ON j.id = ch.job_id"
          + "   WHERE ch.status = 'READY' AND j.status IN ('QUEUED','RUNNING'))"
          + " SELECT ch.*, j.team_id FROM chunk ch JOIN render_job j ON j.id = ch.job_id"
          + " WHERE ch.id IN (SELECT id FROM ranked WHERE rank <= ?) AND ch.status = 'READY'"
          + " ORDER BY "
          + PRIORITY_ORDER
          + " FOR UPDATE OF ch SKIP LOCKED";

  /** 00:00 UTC of the database's day, as column {@code day_start}: GPU-seconds per day count. */
  private static final String DAY_START =
      " date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day_start";

  /** Chunks in flight of team {@code t}, as column {@code in_flight}. */
  private static final String IN_FLIGHT =
      " (SELECT count(*) FROM chunk ch JOIN render_job j ON j.id = ch.job_id"
          + "   WHERE j.team_id = t.id AND ch.status IN ('DISPATCHED','RUNNING')) AS in_flight";

  /** Teams, their chunks in flight and since when they have had an open job; now(). */
  private static final String TEAMS =
      "SELECT t.id, t.name, t.weight, t.max_concurrent_chunks, now() AS now,"
          + IN_FLIGHT
          + ","
          + " (SELECT min(created_at) FROM render_job j"
          + "   WHERE j.team_id = t.id AND j.status IN ('QUEUED','RUNNING')) AS queued_since"
          + " FROM team t WHERE t.id = ANY(?)";

  /** Every team (or one) with its limits, queue and chunks in flight; now() and 00:00 UTC. */
  private static final String LOADS =
      "SELECT t.id, t.name, t.weight, t.max_concurrent_chunks, t.max_queued_jobs,"
          + " t.gpu_seconds_per_day, now() AS now,"
          + DAY_START
          + ","
          + IN_FLIGHT
          + ", (SELECT count(*) FILTER (WHERE j.status = 'QUEUED') FROM render_job j"
          + "   WHERE j.team_id = t.id) AS queued,"
          + " (SELECT count(*) FILTER (WHERE j.status = 'RUNNING') FROM render_job j"
          + "   WHERE j.team_id = t.id) AS running"
          + " FROM team t WHERE (?::uuid IS NULL OR t.id = ?) ORDER BY t.name";

  /** The time a chunk's current use of a worker began: its dispatch until its run starts. */
  private static final String RUN_START =
      "CASE WHEN ch.status = 'DISPATCHED' THEN ch.dispatched_at ELSE ch.started_at END";

  /**
   * Every run a team is charged for: each chunk's current run, and the runs a storyboard reroll
   * discarded (their chunk rows now hold the new runs' times).
   */
  private static final String RUNS =
      "(SELECT job_id, status, dispatched_at, started_at, finished_at FROM chunk UNION ALL"
          + " SELECT job_id, 'DONE', NULL, started_at, finished_at FROM discarded_chunk_run)";

  /**
   * Per team, chunk-seconds since {@code ?} of its runs that finished since, and per chunk in
   * flight the seconds it has used since.
   */
  private static final String USAGE =
      "SELECT j.team_id,"
          + " coalesce(sum(extract(epoch FROM ch.finished_at - greatest(ch.started_at, ?)))"
          + "   FILTER (WHERE ch.finished_at IS NOT NULL), 0) AS finished,"
          + " array_remove(array_agg(extract(epoch FROM now() - greatest("
          + RUN_START
          + ", ?))::float8) FILTER (WHERE ch.finished_at IS NULL), NULL) AS running"
          + " FROM "
          + RUNS
          + " ch JOIN render_job j ON j.id = ch.job_id WHERE j.team_id = ANY(?) AND ("
          + "   (ch.finished_at > ? AND ch.started_at IS NOT NULL)"
          + "   OR ch.status IN ('DISPATCHED','RUNNING'))"
          + " GROUP BY j.team_id";

  private static final String MEAN_CHUNK_SECONDS =
      "SELECT avg(extract(epoch FROM finished_at - started_at)) FROM chunk"
          + " WHERE finished_at > ? AND status = 'DONE' AND started_at IS NOT NULL";

  /**
   * A team's submission quotas and what it holds now.
   *
   * @param maxQueuedJobs null: unlimited
   * @param queuedJobs its jobs QUEUED or RUNNING
   * @param gpuSecondsPerDay null: unlimited
   * @param gpuSecondsToday chunk-seconds its chunks used since 00:00 UTC
   */
  public record QuotaStanding(
      String team,
      Integer maxQueuedJobs,
      int queuedJobs,
      Long gpuSecondsPerDay,
      double gpuSecondsToday,
      Instant now) {}

  /**
   * A team's limits (null: unlimited) and what it holds now.
   *
   * @param dayStart 00:00 UTC of the database's day, where GPU-seconds per day count from
   */
  public record TeamLoad(
      UUID id,
      String name,
      int weight,
      Integer maxConcurrentChunks,
      Integer maxQueuedJobs,
      Long gpuSecondsPerDay,
      int queuedJobs,
      int runningJobs,
      int inFlight,
      Instant now,
      Instant dayStart) {}

  /** A READY chunk and the team of its job. */
  public record ReadyChunk(ChunkRow chunk, UUID team) {}

  /** A team's settings and standing; {@code queuedSince} null: no open job. */
  public record TeamRow(
      UUID id,
      String name,
      int weight,
      Integer maxConcurrentChunks,
      int inFlight,
      Instant queuedSince,
      Instant now) {}

  /** Chunk-seconds of a team since some instant: finished chunks, and per chunk in flight. */
  public record Usage(double finishedSeconds, List<Double> runningSeconds) {
    public static final Usage NONE = new Usage(0, List.of());

    public double total() {
      return finishedSeconds + runningSeconds.stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  /** Up to {@code perTeam} READY chunks of each team, in farm-wide priority order, locked. */
  public List<ReadyChunk> lockReadyChunks(Connection c, int perTeam) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOCK_READY_CHUNKS)) {
      s.setInt(1, perTeam);
      List<ReadyChunk> ready = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          ready.add(new ReadyChunk(Rows.chunk(r), r.getObject("team_id", UUID.class)));
      }
      return ready;
    }
  }

  public List<TeamRow> teams(Connection c, Collection<UUID> ids) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TEAMS)) {
      s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      List<TeamRow> teams = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          teams.add(
              new TeamRow(
                  r.getObject("id", UUID.class),
                  r.getString("name"),
                  r.getInt("weight"),
                  (Integer) r.getObject("max_concurrent_chunks"),
                  r.getInt("in_flight"),
                  Rows.instant(r, "queued_since"),
                  Rows.instant(r, "now")));
      }
      return teams;
    }
  }

  /** Every team's load, by name; {@code team} non-null: only that team's (empty if none). */
  public List<TeamLoad> loads(Connection c, UUID team) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOADS)) {
      s.setObject(1, team);
      s.setObject(2, team);
      List<TeamLoad> loads = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          loads.add(
              new TeamLoad(
                  r.getObject("id", UUID.class),
                  r.getString("name"),
                  r.getInt("weight"),
                  (Integer) r.getObject("max_concurrent_chunks"),
                  (Integer) r.getObject("max_queued_jobs"),
                  (Long) r.getObject("gpu_seconds_per_day"),
                  r.getInt("queued"),
                  r.getInt("running"),
                  r.getInt("in_flight"),
                  Rows.instant(r, "now"),
                  Rows.instant(r, "day_start")));
      }
      return loads;
    }
  }

  /** Per team, its chunks' use of workers since {@code since}; teams without any are absent. */
  public Map<UUID, Usage> usage(Connection c, Collection<UUID> teams, Instant since)
      throws SQLException {
    Timestamp from = Timestamp.from(since);
    try (PreparedStatement s = c.prepareStatement(USAGE)) {
      s.setTimestamp(1, from);
      s.setTimestamp(2, from);
      s.setArray(3, c.createArrayOf("uuid", teams.toArray()));
      s.setTimestamp(4, from);
      Map<UUID, Usage> usage = new HashMap<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          usage.put(
              r.getObject("team_id", UUID.class),
              new Usage(r.getDouble("finished"), doubles(r.getArray("running"))));
      }
      return usage;
    }
  }

  /** Mean seconds of the chunks done since {@code since}; empty when none was. */
  public Optional<Double> meanChunkSeconds(Connection c, Instant since) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(MEAN_CHUNK_SECONDS)) {
      s.setTimestamp(1, Timestamp.from(since));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        double mean = r.getDouble(1);
        return r.wasNull() ? Optional.empty() : Optional.of(mean);
      }
    }
  }

  /** The teams of the given jobs, by job. */
  public Map<UUID, TeamRow> teamsOfJobs(Connection c, Collection<UUID> jobs) throws SQLException {
    Map<UUID, UUID> teamOfJob = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT id, team_id FROM render_job WHERE id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          teamOfJob.put(r.getObject("id", UUID.class), r.getObject("team_id", UUID.class));
      }
    }
    Map<UUID, TeamRow> teams = new HashMap<>();
    for (TeamRow t : teams(c, new HashSet<>(teamOfJob.values()))) teams.put(t.id(), t);
    Map<UUID, TeamRow> byJob = new HashMap<>();
    teamOfJob.forEach((job, team) -> byJob.put(job, teams.get(team)));
    return byJob;
  }

  /**
   * The team's standing against its submission quotas, its row locked so that concurrent
   * submissions of the team are counted one after the other; empty when the team has no such quota
   * (or does not exist).
   */
  public Optional<QuotaStanding> lockStanding(Connection c, UUID team) throws SQLException {
    String name;
    Integer maxQueued;
    Long gpuPerDay;
    Instant now;
    Instant dayStart;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name, max_queued_jobs, gpu_seconds_per_day, now() AS now,"
                + DAY_START
                + " FROM team WHERE id = ?"
                + " AND (max_queued_jobs IS NOT NULL OR gpu_seconds_per_day IS NOT NULL) FOR UPDATE")) {
      s.setObject(1, team);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return Optional.empty();
        name = r.getString("name");
        maxQueued = (Integer) r.getObject("max_queued_jobs");
        gpuPerDay = (Long) r.getObject("gpu_seconds_per_day");
        now = Rows.instant(r, "now");
        dayStart = Rows.instant(r, "day_start");
      }
    }
    int queued = 0;
    if (maxQueued != null) {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT count(*) FROM render_job WHERE team_id = ? AND status IN ('QUEUED','RUNNING')")) {
        s.setObject(1, team);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          queued = r.getInt(1);
        }
      }
    }
    double today =
        gpuPerDay == null
            ? 0
            : usage(c, List.of(team), dayStart).getOrDefault(team, Usage.NONE).total();
    return Optional.of(new QuotaStanding(name, maxQueued, queued, gpuPerDay, today, now));
  }

  private static List<Double> doubles(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((Double[]) array.getArray());
  }
}
