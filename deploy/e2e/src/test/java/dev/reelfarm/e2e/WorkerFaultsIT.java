package dev.reelfarm.e2e;

import static dev.reelfarm.e2e.FarmClient.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.messages.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faulty workers beside a healthy one, on one farm with short leases (the worker's test-only {@code
 * reelfarm.worker.fault.*} settings inject each fault into one worker): a rendering thread that
 * hangs while its process stays in the group, a worker that fails every chunk, and a chunk that
 * crashes every worker that renders it. Each case prints {@code FAULT <name>: fault->progress <ms>
 * ms, fault->success <ms> ms}.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerFaultsIT {
  private static final int LEASE_SECONDS = 8;
  private static final int LIVE_SECONDS = 8;
  private static final int MAX_ATTEMPTS = 2;
  private static final long HANG_MS = 30_000;
  private static final String POISON = "POISON";

  /** Independent chunks of one second each, rendered in parallel; short, as encoding is slow. */
  private static final String PARALLEL_JOB =
      "{\"prompt\":\"a red circle on a green field\",\"durationSeconds\":%d,\"seed\":%d,\"steps\":12,\"mode\":\"independent\"}";

  /** Encoding 1080p on a loaded machine takes long: jobs get this long to finish. */
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;

  @BeforeAll
  static void start() {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .workers(1) // the healthy one; each case adds its faulty workers
            .workerProperty("reelfarm.worker.step-event-ms", "0") // every step renews the lease
            // Every worker crashes on the poison prompt: that chunk crashes whoever renders it.
            .workerProperty("reelfarm.worker.fault.crash-on-prompt", POISON)
            .orchestratorProperty("reelfarm.chunk.lease-seconds", Integer.toString(LEASE_SECONDS))
            .orchestratorProperty("reelfarm.chunk.max-attempts", Integer.toString(MAX_ATTEMPTS))
            .orchestratorProperty("reelfarm.workers.live-seconds", Integer.toString(LIVE_SECONDS))
            // One failure quarantines: whichever chunks the healthy worker takes first, the bad
            // worker fails at least one.
            .orchestratorProperty("reelfarm.workers.quarantine-after", "1")
            .start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  @Order(1)
  void aHungRenderingThreadIsCaughtByTheLeaseAndItsLateResultsAreDropped() throws Exception {
    ServiceProcess hung =
        addRoutableWorker(
            Map.of(
                "reelfarm.worker.fault.hang-at-step",
                "2",
                "reelfarm.worker.fault.hang-ms",
                Long.toString(HANG_MS)));
    try {
      hungWorkerCase(hung);
    } finally {
      hung.stop();
    }
  }

  private void hungWorkerCase(ServiceProcess hung) throws Exception {
    String job = client.submit(PARALLEL_JOB.formatted(2, 11));

    Instant faultAt =
        awaitValue("hang", Duration.ofSeconds(60), () -> logHas(hung, "hangs at step 2"));
    long chunkId =
        awaitValue("the hung chunk", Duration.ofSeconds(10), () -> heldChunk(job, hung.name()));
    Instant progressAt =
        awaitValue(
            "chunk re-running elsewhere",
            Duration.ofSeconds(LEASE_SECONDS + 60),
            () -> runningElsewhere(chunkId, hung.name()));
    String doneRow =
        awaitValue(
            "chunk done elsewhere", Duration.ofSeconds(60), () -> doneRow(chunkId, hung.name()));
    Instant renderedAt = Instant.now();
    assertThat(logHas(hung, "goes on")).as("the hung run is still hung").isNull();
    JsonNode done = client.awaitFinal(job, JOB_TIMEOUT);
    Instant successAt = Instant.now();
    report("hung-rendering-thread", faultAt, progressAt, successAt);
    System.out.printf(
        "hung chunk rendered elsewhere %d ms after the hang%n",
        Duration.between(faultAt, renderedAt).toMillis());
    assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
    assertThat(Duration.between(faultAt, renderedAt))
        .as("rendered elsewhere within the lease + one chunk time (+ a sweep, polling)")
        .isLessThan(Duration.ofSeconds(LEASE_SECONDS + 20));

    // The hung run wakes up and reports its steps and its result: the fencing drops them.
    int index = chunkIndex(chunkId);
    awaitValue(
        "the hung run's late result",
        Duration.ofMillis(HANG_MS + 60_000),
        () -> logHas(hung, "chunk " + index + " of job " + job + ": done in"));
    client.awaitConsumed(
        "reelfarm-orchestrator", Topics.CHUNK_EVENTS.name(), Duration.ofSeconds(30));
    assertThat(doneRow(chunkId, hung.name()))
        .as("the late STEP and COMPLETED of the superseded run changed nothing")
        .isEqualTo(doneRow);
    assertThat(client.awaitFinal(job, Duration.ofSeconds(5)).get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(2)
  void aWorkerThatFailsEveryChunkIsQuarantinedAndTheJobsSucceedOnTheHealthyOne() throws Exception {
    ServiceProcess bad =
        addRoutableWorker(Map.of("reelfarm.worker.fault.fail-every-chunk", "true"));
    try {
      failingWorkerCase(bad);
    } finally {
      bad.stop();
    }
  }

  private void failingWorkerCase(ServiceProcess bad) throws Exception {
    List<String> jobs = List.of(client.submit(PARALLEL_JOB.formatted(3, 21)));

    long[] failed = new long[1];
    Instant faultAt =
        awaitValue(
            "a chunk failed on " + bad.name(),
            Duration.ofSeconds(60),
            () -> {
              Optional<Long> chunk = firstFailedChunk(bad.name());
              chunk.ifPresent(c -> failed[0] = c);
              return chunk.map(c -> Instant.now()).orElse(null);
            });
    Instant progressAt =
        awaitValue(
            "failed chunk re-running elsewhere",
            Duration.ofSeconds(60),
            () -> runningElsewhere(failed[0], bad.name()));
    for (String job : jobs) {
      JsonNode done = client.awaitFinal(job, JOB_TIMEOUT);
      assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
      for (JsonNode chunk : done.get("chunks"))
        assertThat(chunk.get("workerId").asText()).isNotEqualTo(bad.name());
    }
    Instant successAt = Instant.now();
    report("failing-worker", faultAt, progressAt, successAt);

    JsonNode worker =
        awaitValue(
            bad.name() + " quarantined in /api/v1/workers",
            Duration.ofSeconds(30),
            () -> {
              for (JsonNode w : client.get("/api/v1/workers").body())
                if (w.get("id").asText().equals(bad.name()) && w.get("quarantined").asBoolean())
                  return w;
              return null;
            });
    System.out.printf("%s in /api/v1/workers: %s%n", bad.name(), worker);
    assertThat(worker.get("quarantineReason").asText())
        .contains("in a row")
        .contains("reelfarm.worker.fault.fail-every-chunk");
  }

  @Test
  @Order(3)
  void aChunkThatCrashesEveryWorkerFailsItsJobAfterKAttemptsAndAJobBesideItSucceeds()
      throws Exception {
    for (int i = 0; i < 2; i++) addRoutableWorker(Map.of()); // three workers in all
    String poison =
        client.submit(
            "{\"prompt\":\"a "
                + POISON
                + " pill\",\"durationSeconds\":1,\"seed\":31,\"steps\":12,\"mode\":\"sequential\"}");
    String beside = client.submit(PARALLEL_JOB.formatted(1, 32));

    // The farm does not restart crashed workers: the test replaces each, as a supervisor would.
    Map<String, Instant> crashes = new LinkedHashMap<>();
    java.util.Set<String> stoppedBefore =
        farm.workers().stream()
            .filter(w -> !w.isAlive())
            .map(ServiceProcess::name)
            .collect(java.util.stream.Collectors.toSet());
    Instant deadline = Instant.now().plus(JOB_TIMEOUT);
    JsonNode poisonView = null;
    JsonNode besideView = null;
    Instant poisonFailedAt = null;
    Instant successAt = null;
    while (Instant.now().isBefore(deadline) && (poisonFailedAt == null || successAt == null)) {
      for (ServiceProcess w : List.copyOf(farm.workers())) {
        boolean counted = crashes.containsKey(w.name()) || stoppedBefore.contains(w.name());
        if (!w.isAlive() && !counted && w.exitCode().isPresent()) {
          crashes.put(w.name(), Instant.now());
          assertThat(w.exitCode().getAsInt()).as(w.name()).isEqualTo(134);
          assertThat(crashes).as("crashed workers").hasSizeLessThanOrEqualTo(MAX_ATTEMPTS);
          farm.addWorker();
        }
      }
      poisonView = client.get("/api/v1/renders/" + poison).body();
      besideView = client.get("/api/v1/renders/" + beside).body();
      if (poisonFailedAt == null && poisonView.get("status").asText().equals("FAILED"))
        poisonFailedAt = Instant.now();
      if (successAt == null && besideView.get("status").asText().equals("SUCCEEDED"))
        successAt = Instant.now();
      Thread.sleep(100);
    }
    assertThat(poisonView.get("status").asText()).as("%s", poisonView).isEqualTo("FAILED");
    assertThat(poisonView.get("error").asText())
        .contains("chunk 0 failed after " + MAX_ATTEMPTS + " attempts")
        // whichever notices the dead worker first: its lapsed lease or its stopped heartbeat
        .containsAnyOf("lost while rendering it", "no progress from");
    assertThat(crashes).as("one crash per attempt, none from redelivered copies").hasSize(2);
    assertThat(besideView.get("status").asText()).as("%s", besideView).isEqualTo("SUCCEEDED");
    Instant faultAt = crashes.values().iterator().next();
    // Its second attempt runs only until it crashes that worker too: read its start afterwards.
    Instant progressAt = secondStart(poison);
    System.out.printf(
        "poison chunk: crashed %s; job FAILED %d ms after the first crash: %s%n",
        crashes.keySet(),
        Duration.between(faultAt, poisonFailedAt).toMillis(),
        poisonView.get("error").asText());
    report("poison-chunk", faultAt, progressAt, successAt.isAfter(faultAt) ? successAt : faultAt);
    // Workers that join after the job failed do not inherit its uncommitted task and crash.
    for (ServiceProcess w : farm.workers())
      if (!crashes.containsKey(w.name()) && !stoppedBefore.contains(w.name()))
        assertThat(w.isAlive()).as(w.name()).isTrue();
  }

  private static void report(String fault, Instant faultAt, Instant progressAt, Instant successAt) {
    System.out.printf(
        "FAULT %s: fault->progress %d ms, fault->success %d ms%n",
        fault,
        Duration.between(faultAt, progressAt).toMillis(),
        Duration.between(faultAt, successAt).toMillis());
  }

  /** Adds a worker and waits until it reports task partitions (so the dispatcher routes to it). */
  private static ServiceProcess addRoutableWorker(Map<String, String> properties) throws Exception {
    ServiceProcess worker = farm.addWorker(properties);
    awaitValue(
        worker.name() + " routable",
        Duration.ofSeconds(60),
        () ->
            client.count(
                        "SELECT count(*) FROM worker WHERE id = '"
                            + worker.name()
                            + "' AND cardinality(task_partitions) > 0"
                            + " AND last_heartbeat_at > now() - interval '4 seconds'")
                    > 0
                ? worker
                : null);
    return worker;
  }

  private static Instant logHas(ServiceProcess worker, String text) throws Exception {
    return Files.readString(worker.logFile()).contains(text) ? Instant.now() : null;
  }

  private static Long heldChunk(String job, String worker) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id FROM chunk WHERE job_id = ?::uuid AND worker_id = ? AND status = 'RUNNING'")) {
      s.setString(1, job);
      s.setString(2, worker);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : null;
      }
    }
  }

  private static int chunkIndex(long chunkId) throws Exception {
    return (int) client.count("SELECT chunk_index FROM chunk WHERE id = " + chunkId);
  }

  /** Now, when the chunk runs (or ran) on a worker other than {@code notOn}; else null. */
  private static Instant runningElsewhere(long chunkId, String notOn) throws Exception {
    return client.count(
                "SELECT count(*) FROM chunk WHERE id = "
                    + chunkId
                    + " AND status IN ('RUNNING','DONE') AND worker_id <> '"
                    + notOn
                    + "'")
            > 0
        ? Instant.now()
        : null;
  }

  /** The chunk's row once it is DONE on a worker other than {@code notOn}; else null. */
  private static String doneRow(long chunkId, String notOn) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT status, attempt, run_id, worker_id, step, frames_uri, latents_uri, finished_at"
                    + " FROM chunk WHERE id = ? AND status = 'DONE' AND worker_id <> ?")) {
      s.setLong(1, chunkId);
      s.setString(2, notOn);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++)
          b.append(r.getString(i)).append('|');
        return b.toString();
      }
    }
  }

  private static Optional<Long> firstFailedChunk(String worker) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT chunk_id FROM chunk_failure WHERE worker_id = ? ORDER BY id LIMIT 1")) {
      s.setString(1, worker);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getLong(1)) : Optional.empty();
      }
    }
  }

  /** When the job's chunk started a second time (its first chunk-started event after one). */
  private static Instant secondStart(String job) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT created_at FROM job_event WHERE job_id = ?::uuid AND type = 'chunk-started'"
                    + " ORDER BY seq OFFSET 1 LIMIT 1")) {
      s.setString(1, job);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as("a second start of the poison chunk").isTrue();
        return r.getTimestamp(1).toInstant();
      }
    }
  }
}
