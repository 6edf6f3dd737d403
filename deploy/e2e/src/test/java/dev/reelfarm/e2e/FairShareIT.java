package dev.reelfarm.e2e;

import static dev.reelfarm.e2e.FarmClient.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.messages.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fair share between two teams on a real farm of {@value #WORKERS} simulated GPUs (one worker
 * process with {@code reelfarm.worker.nodes} = {@value #WORKERS}, each denoising step a sleep of
 * {@value #STEP_MS} ms): a team that arrives behind another team's long queue gets the next free
 * worker, and two teams saturating the workers split the chunk-seconds by their weights. The
 * encoder is stopped: chunk placement is what is measured, and encoding finished jobs would only
 * load the machine. Each case prints one {@code FAIRSHARE …} line.
 *
 * <p>The measurement window of the split is {@code fairshare.window-seconds} per weight setting: 45
 * s in the suite (8 workers × 45 s / 1.5 s = 240 chunks, enough to tell 0.50 from 0.60), 120 s (the
 * issue's two minutes) for the figures in the README: {@code -Dfairshare.window-seconds=120}.
 */
@Timeout(1200)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FairShareIT {
  private static final int WORKERS = 8;
  private static final int STEPS = 3;
  private static final int STEP_MS = 500;

  /** One chunk's simulated denoising: steps × step time. */
  private static final Duration CHUNK_TIME = Duration.ofMillis(STEPS * STEP_MS);

  /** The split must be within this of the weights' share (absolute, on team A's share). */
  private static final double TOLERANCE = 0.10;

  private static final Duration WINDOW =
      Duration.ofSeconds(Long.getLong("fairshare.window-seconds", 45));

  /** One chunk per second of video (the fixture bundle: 8 frames per chunk at 8 fps). */
  private static final String JOB =
      "{\"prompt\":\"a red circle on a green field\",\"durationSeconds\":%d,\"seed\":%d,\"steps\":"
          + STEPS
          + ",\"mode\":\"independent\"}";

  /** The longest job: 60 chunks. */
  private static final int LONG_JOB_SECONDS = 60;

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient admin;
  static final Map<String, FarmClient> teams = new LinkedHashMap<>();
  static int seed;

  @BeforeAll
  static void start() throws Exception {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .workers(1)
            .startupTimeout(Duration.ofMinutes(5))
            .workerProperty("reelfarm.worker.simulate-step-ms", Integer.toString(STEP_MS))
            .workerProperty("reelfarm.worker.nodes", Integer.toString(WORKERS))
            .workerProperty("reelfarm.worker.preview-ms", "0")
            .start();
    farm.encoder().stop();
    admin = new FarmClient(farm);
    for (String team : List.of("A", "B")) {
      var created = admin.post("/api/v1/teams", "{\"name\":\"" + teamName(team) + "\"}");
      assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
      var key =
          admin.post(
              "/api/v1/teams/" + teamName(team) + "/keys",
              "{\"name\":\"it\",\"scopes\":[\"submit\",\"read\",\"cancel\"]}");
      assertThat(key.status()).as("%s", key.body()).isEqualTo(201);
      teams.put(team, admin.as(key.body().get("key").asText()));
    }
    awaitValue("8 routable simulated workers", Duration.ofMinutes(3), FairShareIT::routable);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  @Order(1)
  void aTeamArrivingBehindAnotherTeamsQueueGetsTheNextFreeWorker() throws Exception {
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 50; i++) queued.add(teams.get("A").submit(JOB.formatted(2, ++seed)));
    awaitValue(
        "A holding every worker", Duration.ofSeconds(60), () -> busy("A") == WORKERS ? true : null);
    String late = teams.get("B").submit(JOB.formatted(1, ++seed));
    Instant submitted = jobCreated(late);
    Instant started =
        awaitValue(
            "B's first chunk started",
            Duration.ofSeconds(60),
            () -> instant("SELECT min(started_at) FROM chunk WHERE job_id = ?", late));
    Instant dispatched = instant("SELECT min(dispatched_at) FROM chunk WHERE job_id = ?", late);
    Instant workerFree = firstFinishAfter("A", submitted);
    long aLeft = admin.count("SELECT count(*) FROM chunk WHERE status = 'READY'");
    Duration waited = Duration.between(workerFree, started);
    System.out.printf(
        Locale.ROOT,
        "FAIRSHARE arrival: A queued 50 jobs (100 chunks of %d ms), B submitted 1: submit->first"
            + " worker free %d ms, first free->B dispatched %d ms, first free->B started %d ms"
            + " (limit: one chunk-time, %d ms); A chunks still READY at B's start: %d%n",
        CHUNK_TIME.toMillis(),
        Duration.between(submitted, workerFree).toMillis(),
        Duration.between(workerFree, dispatched).toMillis(),
        waited.toMillis(),
        CHUNK_TIME.toMillis(),
        aLeft);
    assertThat(aLeft).as("A still had work queued when B started: B jumped the queue").isPositive();
    assertThat(waited)
        .as("B's first chunk starts within one chunk-time of a worker freeing up")
        .isLessThanOrEqualTo(CHUNK_TIME);
    queued.add(late);
    cancelAll(queued);
  }

  @Test
  @Order(2)
  void twoSaturatingTeamsAtEqualWeightsSplitTheWorkersEvenly() throws Exception {
    splitCase(1, 1);
  }

  @Test
  @Order(3)
  void twoSaturatingTeamsAtWeightsThreeToOneSplitTheWorkersThreeToOne() throws Exception {
    splitCase(3, 1);
  }

  /**
   * Both teams queue more than the window can render, interleaved; after one chunk-time of warm-up
   * the chunk-seconds of each team over {@link #WINDOW} are summed from the chunk rows.
   */
  private void splitCase(int weightA, int weightB) throws Exception {
    setWeight("A", weightA);
    setWeight("B", weightB);
    long chunksNeeded =
        WORKERS * (WINDOW.plus(CHUNK_TIME.multipliedBy(4)).toMillis()) / CHUNK_TIME.toMillis();
    int jobsPerTeam = (int) (chunksNeeded / LONG_JOB_SECONDS) + 1;
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < jobsPerTeam; i++)
      for (String team : teams.keySet())
        jobs.add(teams.get(team).submit(JOB.formatted(LONG_JOB_SECONDS, ++seed)));
    awaitValue(
        "both teams on the workers",
        Duration.ofSeconds(60),
        () -> busy("A") > 0 && busy("B") > 0 && busy("A") + busy("B") == WORKERS ? true : null);
    Instant from = dbNow().plus(CHUNK_TIME);
    Instant to = from.plus(WINDOW);
    int[] samples = {0, 0};
    awaitValue(
        "the end of the measurement window",
        WINDOW.plusSeconds(60),
        () -> {
          samples[0]++;
          if (ready("A") > 0 && ready("B") > 0 && busy("A") + busy("B") == WORKERS) samples[1]++;
          return dbNow().isAfter(to) ? true : null;
        });
    double a = chunkSeconds("A", from, to);
    double b = chunkSeconds("B", from, to);
    double shareA = a / (a + b);
    double expected = (double) weightA / (weightA + weightB);
    System.out.printf(
        Locale.ROOT,
        "FAIRSHARE split %d:%d over %d s on %d workers: A %.1f chunk-s, B %.1f chunk-s, share of A"
            + " %.3f (expected %.3f ± %.2f), utilisation %.1f %%, saturated in %d of %d samples%n",
        weightA,
        weightB,
        WINDOW.toSeconds(),
        WORKERS,
        a,
        b,
        shareA,
        expected,
        TOLERANCE,
        100 * (a + b) / (WORKERS * (double) WINDOW.toMillis() / 1000),
        samples[1],
        samples[0]);
    assertThat(ready("A") > 0 && ready("B") > 0)
        .as("both teams still had work queued at the window's end")
        .isTrue();
    assertThat(shareA).isBetween(expected - TOLERANCE, expected + TOLERANCE);
    cancelAll(jobs);
  }

  /** The API's name of team {@code A} or {@code B}: team names are lower case. */
  private static String teamName(String team) {
    return "team-" + team.toLowerCase(Locale.ROOT);
  }

  private static void setWeight(String team, int weight) throws Exception {
    var r = admin.patch("/api/v1/teams/" + teamName(team), "{\"weight\":" + weight + "}");
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    assertThat(r.body().get("weight").asInt()).isEqualTo(weight);
  }

  /**
   * Cancels {@code jobs} and waits until no chunk holds a worker, so the next case starts clean.
   */
  private static void cancelAll(List<String> jobs) throws Exception {
    for (String job : jobs) admin.delete("/api/v1/renders/" + job);
    awaitValue(
        "no chunk in flight",
        Duration.ofSeconds(60),
        () ->
            admin.count("SELECT count(*) FROM chunk WHERE status IN ('DISPATCHED','RUNNING')") == 0
                ? true
                : null);
  }

  /** True once {@value #WORKERS} live workers own all the task partitions between them. */
  private static Boolean routable() throws Exception {
    long live =
        admin.count(
            "SELECT count(*) FROM worker WHERE last_heartbeat_at > now() - interval '5 seconds'"
                + " AND cardinality(task_partitions) > 0");
    long partitions =
        admin.count(
            "SELECT coalesce(sum(cardinality(task_partitions)), 0) FROM worker"
                + " WHERE last_heartbeat_at > now() - interval '5 seconds'");
    return live == WORKERS && partitions == Topics.CHUNK_TASK_PARTITIONS ? true : null;
  }

  private static long busy(String team) throws Exception {
    return teamChunks(team, "('DISPATCHED','RUNNING')");
  }

  private static long ready(String team) throws Exception {
    return teamChunks(team, "('READY')");
  }

  private static long teamChunks(String team, String statuses) throws Exception {
    return admin.count(
        "SELECT count(*) FROM chunk ch JOIN render_job j ON j.id = ch.job_id JOIN team t ON"
            + " t.id = j.team_id WHERE t.name = '"
            + teamName(team)
            + "' AND ch.status IN "
            + statuses);
  }

  /** Chunk-seconds the team's chunks ran (started to finished, or now) inside [from, to). */
  private static double chunkSeconds(String team, Instant from, Instant to) throws Exception {
    try (Connection c = admin.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT coalesce(sum(extract(epoch FROM least(coalesce(ch.finished_at, now()), ?)"
                    + " - greatest(ch.started_at, ?))), 0) FROM chunk ch"
                    + " JOIN render_job j ON j.id = ch.job_id JOIN team t ON t.id = j.team_id"
                    + " WHERE t.name = ? AND ch.started_at < ?"
                    + " AND coalesce(ch.finished_at, now()) > ?")) {
      Timestamp f = Timestamp.from(from), t = Timestamp.from(to);
      s.setTimestamp(1, t);
      s.setTimestamp(2, f);
      s.setString(3, teamName(team));
      s.setTimestamp(4, t);
      s.setTimestamp(5, f);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getDouble(1);
      }
    }
  }

  /** The first moment after {@code after} a chunk of {@code team} finished: a worker freed up. */
  private static Instant firstFinishAfter(String team, Instant after) throws Exception {
    try (Connection c = admin.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT min(ch.finished_at) FROM chunk ch JOIN render_job j ON j.id = ch.job_id"
                    + " JOIN team t ON t.id = j.team_id WHERE t.name = ? AND ch.finished_at > ?")) {
      s.setString(1, teamName(team));
      s.setTimestamp(2, Timestamp.from(after));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getTimestamp(1).toInstant();
      }
    }
  }

  private static Instant jobCreated(String job) throws Exception {
    return instant("SELECT created_at FROM render_job WHERE id = ?", job);
  }

  /** The timestamp {@code sql} selects for the job {@code job}; null when there is none yet. */
  private static Instant instant(String sql, String job) throws Exception {
    try (Connection c = admin.db();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, UUID.fromString(job));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        Timestamp t = r.getTimestamp(1);
        return t == null ? null : t.toInstant();
      }
    }
  }

  private static Instant dbNow() throws Exception {
    try (Connection c = admin.db();
        var s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT now()")) {
      r.next();
      return r.getTimestamp(1).toInstant();
    }
  }
}
