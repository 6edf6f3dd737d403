package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every component killed with SIGKILL mid-job on one shared farm (the cases run in order and each
 * leaves the farm whole again): the encoder (restarted at once, and only after the encode timeout),
 * the orchestrator, PostgreSQL, and the broker for 10 s and for 90 s. Each job succeeds, and each
 * case prints {@code FAULT <name>: fault->progress <ms> ms, fault->success <ms> ms}, progress being
 * the job's first change in PostgreSQL after the fault (state, event, step or encoder word).
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComponentRestartIT {
  private static final int ENCODE_TIMEOUT_SECONDS = 20;
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(300);

  /** Rendering takes a few seconds over several chunks, so a fault lands mid-denoise. */
  private static final String RENDER =
      "{\"prompt\":\"a green triangle moving left on a black background\",\"durationSeconds\":2,"
          + "\"seed\":5,\"steps\":40}";

  /**
   * Rendering is quick and the 1080p encode (seconds) is the longest part: a kill lands mid-encode.
   * The encode timeout must exceed one encode: a shorter one re-sends the task while it is being
   * encoded, and each copy is encoded again (measured with 8 s: 8 encodes of one job).
   */
  private static final String ENCODE =
      "{\"prompt\":\"a white circle moving down on a red background\",\"durationSeconds\":2,"
          + "\"seed\":6,\"steps\":2}";

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;

  @BeforeAll
  static void start() {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            // The shared 2-core machine has kept an encoder from getting ready for over 180 s.
            .startupTimeout(Duration.ofMinutes(5))
            .workerProperty("reelfarm.worker.step-event-ms", "0")
            .orchestratorProperty(
                "reelfarm.encode.timeout-seconds", Integer.toString(ENCODE_TIMEOUT_SECONDS))
            .start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  /** A case leaves every service running: one that died riding out a fault is a bug. */
  @AfterEach
  void everyServiceIsStillUp() {
    var current = new ArrayList<>(farm.workers());
    current.add(farm.orchestrator());
    current.add(farm.encoder());
    for (ServiceProcess p : current) {
      assertThat(p.isAlive()).as("%s is still running: %s", p.name(), p.logTail(30)).isTrue();
    }
  }

  @Test
  @Order(1)
  void encoderKilledMidEncodeAndRestartedAtOnce() throws Exception {
    String job = client.submit(ENCODE);
    awaitStatus(job, "ENCODING");
    farm.encoder().killHard();
    Fault fault = Fault.now("encoder-restarted-at-once", job);
    assertNotFinished(job, "the kill came after the encode");
    farm.restart(farm.encoder());
    fault.awaitSuccessAndReport();
  }

  @Test
  @Order(2)
  void encoderKilledMidEncodeAndStartedOnlyAfterTheEncodeTimeout() throws Exception {
    String job = client.submit(ENCODE);
    awaitStatus(job, "ENCODING");
    ServiceProcess dead = farm.encoder();
    dead.killHard();
    Instant killed = Instant.now();
    assertNotFinished(job, "the kill came after the encode");
    // No encoder for longer than the encode timeout: the orchestrator re-sends the task, and the
    // job waits in ENCODING (neither FAILED nor lost) until an encoder is there.
    Thread.sleep(Duration.ofSeconds(ENCODE_TIMEOUT_SECONDS + 4).toMillis());
    assertThat(status(job)).isEqualTo("ENCODING");
    Fault fault = new Fault("encoder-started-after-timeout", job, killed);
    farm.restart(dead);
    fault.awaitSuccessAndReport();
  }

  @Test
  @Order(3)
  void orchestratorKilledAndRestartedMidJobKeepsTheEventIdsGapFree() throws Exception {
    String job = client.submit(RENDER);
    var uri = farm.apiBase().resolve("/api/v1/renders/" + job + "/events");
    List<SseClient.Event> before =
        SseClient.read(
            uri, farm.adminKey(), null, e -> e.type().equals("step"), Duration.ofSeconds(60));
    awaitMidDenoise(job);
    farm.orchestrator().killHard();
    Fault fault = Fault.now("orchestrator", job);
    farm.restart(farm.orchestrator());
    fault.awaitSuccessAndReport();

    String lastSeen = before.get(before.size() - 1).id();
    List<SseClient.Event> resumed =
        SseClient.read(
            uri,
            farm.adminKey(),
            lastSeen,
            e -> e.type().equals("succeeded"),
            Duration.ofSeconds(60));
    List<SseClient.Event> all =
        SseClient.read(
            uri, farm.adminKey(), null, e -> e.type().equals("succeeded"), Duration.ofSeconds(60));
    List<Integer> ids = all.stream().map(e -> Integer.parseInt(e.id())).toList();
    assertThat(ids).isEqualTo(IntStream.rangeClosed(1, ids.size()).boxed().toList());
    var stitched = new ArrayList<>(before);
    stitched.addAll(resumed);
    assertThat(stitched).as("resumed with Last-Event-ID %s", lastSeen).isEqualTo(all);
  }

  @Test
  @Order(4)
  void postgresKilledMidJobKeepsEveryAcceptedJob() throws Exception {
    String running = client.submit(RENDER);
    awaitMidDenoise(running);
    List<String> jobs = new ArrayList<>(List.of(running));
    for (int i = 0; i < 3; i++)
      jobs.add(client.submit(RENDER.replace("\"seed\":5", "\"seed\":" + (10 + i))));
    farm.killPostgres();
    Fault fault = Fault.now("postgres", running);
    farm.restartPostgres();
    fault.awaitSuccessAndReport();
    for (String job : jobs) {
      JsonNode done = client.awaitFinal(job, JOB_TIMEOUT);
      assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  @Order(5)
  void brokerKilledMidJobFor10Seconds() throws Exception {
    brokerOutage("broker-10s", Duration.ofSeconds(10));
  }

  @Test
  @Order(6)
  void brokerKilledMidJobFor90Seconds() throws Exception {
    brokerOutage("broker-90s", Duration.ofSeconds(90));
  }

  private static void brokerOutage(String name, Duration outage) throws Exception {
    String job = client.submit(RENDER);
    awaitMidDenoise(job);
    farm.killKafka();
    Fault fault = Fault.now(name, job);
    Thread.sleep(outage.toMillis()); // the outage itself is the fault under test
    farm.restartKafka();
    fault.awaitSuccessAndReport();
  }

  /**
   * A fault's moment, and a watcher that notes the job's first change after it (polling from the
   * fault on, so a change during a blocking restart is timed when it happens).
   */
  private static final class Fault {
    private final String name;
    private final String job;
    private final Instant at;
    private final CompletableFuture<Instant> progressed;

    private Fault(String name, String job, Instant at) {
      this.name = name;
      this.job = job;
      this.at = at;
      String then = fingerprintOrNull(job);
      this.progressed = CompletableFuture.supplyAsync(() -> awaitChange(job, then, JOB_TIMEOUT));
    }

    static Fault now(String name, String job) {
      return new Fault(name, job, Instant.now());
    }

    void awaitSuccessAndReport() throws Exception {
      JsonNode done = client.awaitFinal(job, JOB_TIMEOUT);
      Instant finished = Instant.now();
      Instant moved = progressed.get(JOB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      System.out.printf(
          "FAULT %s: fault->progress %d ms, fault->success %d ms%n",
          name, Duration.between(at, moved).toMillis(), Duration.between(at, finished).toMillis());
      assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
    }
  }

  /**
   * What changes whenever the job moves: its state, its event sequence (every start, step,
   * completion) and the sum of its chunks' steps. Not the encoder's word: the orchestrator's own
   * re-send of a stalled encode touches the same column, so an encode's progress is its success.
   */
  private static String fingerprint(String job) throws SQLException {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT j.status || '|' || j.event_seq || '|'"
                    + " || (SELECT coalesce(sum(step), 0) FROM chunk WHERE job_id = j.id)"
                    + " FROM render_job j WHERE j.id = ?::uuid")) {
      s.setString(1, job);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : "absent";
      }
    }
  }

  /** The fingerprint, or null while PostgreSQL is down (then any later answer is a change). */
  private static String fingerprintOrNull(String job) {
    try {
      return fingerprint(job);
    } catch (SQLException e) {
      return null;
    }
  }

  private static Instant awaitChange(String job, String then, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String now = fingerprintOrNull(job);
      if (now != null && !now.equals(then)) return Instant.now();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("job " + job + " did not move within " + timeout + ": " + then);
  }

  private static String status(String job) throws SQLException {
    return fingerprint(job).split("\\|")[0];
  }

  private static void awaitStatus(String job, String wanted) throws Exception {
    Instant deadline = Instant.now().plus(JOB_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (status(job).equals(wanted)) return;
      Thread.sleep(5);
    }
    throw new AssertionError("job " + job + " not " + wanted + " within " + JOB_TIMEOUT);
  }

  private static void assertNotFinished(String job, String why) throws SQLException {
    assertThat(status(job)).as(why).isNotIn("SUCCEEDED", "FAILED");
  }

  private static void awaitMidDenoise(String job) throws Exception {
    Instant deadline = Instant.now().plus(JOB_TIMEOUT);
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT 1 FROM chunk WHERE job_id = ?::uuid AND status = 'RUNNING'"
                    + " AND step BETWEEN 2 AND 30")) {
      s.setString(1, job);
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) return;
        }
        Thread.sleep(5);
      }
    }
    throw new AssertionError("no chunk of " + job + " seen mid-denoise within " + JOB_TIMEOUT);
  }
}
