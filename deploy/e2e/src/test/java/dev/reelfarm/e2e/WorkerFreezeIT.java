package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers; the one rendering a chunk is frozen with SIGSTOP (the process stays, silent). Its
 * heartbeat stops, the orchestrator marks it lost and releases the chunk under a new dispatch
 * epoch, and the healthy worker renders it: the chunk moves within the lease, every chunk is
 * rendered within the lease plus the render time of the chunks left at the fault (one worker
 * renders them now), and the job succeeds. The encode after the last chunk is not timed: it runs at
 * nice 19 and on a loaded machine its time says nothing about the fault.
 */
@Timeout(420)
class WorkerFreezeIT {
  private static final int LEASE_SECONDS = 30;
  // Dispatching each of the chunks left, one after another, on a loaded 2-core machine.
  private static final Duration DISPATCH_ALLOWANCE = Duration.ofSeconds(30);
  private static final String REQUEST =
      "{\"prompt\":\"a yellow square moving up on a purple background\",\"durationSeconds\":4,\"seed\":77,\"steps\":100}";

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;

  @BeforeAll
  static void start() {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .workerProperty("reelfarm.worker.step-event-ms", "0")
            .orchestratorProperty("reelfarm.chunk.lease-seconds", Integer.toString(LEASE_SECONDS))
            .start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void aJobSurvivesAWorkerFrozenMidDenoiseAndIsRenderedWithinTheLeasePlusTheChunksLeft()
      throws Exception {
    String job = client.submit(REQUEST);
    Held victim = awaitChunkMidDenoise(job, Duration.ofSeconds(120));
    ServiceProcess frozen =
        farm.workers().stream()
            .filter(w -> w.name().equals(victim.workerId()))
            .findFirst()
            .orElseThrow();
    signal("STOP", frozen.pid());
    Instant faultAt = Instant.now();
    try {
      long chunksLeft = overChunks(job, "count(*) FILTER (WHERE status <> 'DONE')", Long.class);
      Duration toProgress = awaitRunElsewhere(job, victim, Duration.ofSeconds(120));
      JsonNode done = client.awaitFinal(job, Duration.ofSeconds(240));
      Duration toSuccess = Duration.between(faultAt, Instant.now());
      Instant lastFinish = overChunks(job, "max(finished_at)", OffsetDateTime.class).toInstant();
      Duration toRendered = Duration.between(faultAt, lastFinish);
      // The longest chunk run of the job, start to finish.
      long chunkMs =
          overChunks(
              job, "max(1000 * extract(epoch FROM finished_at - started_at))::bigint", Long.class);
      System.out.printf(
          "froze %s (pid %d) on chunk %d at step %d with %d chunks left: chunk running on another"
              + " worker after %d ms, every chunk rendered after %d ms, job %s after %d ms"
              + " (one chunk: %d ms)%n",
          victim.workerId(),
          frozen.pid(),
          victim.index(),
          victim.step(),
          chunksLeft,
          toProgress.toMillis(),
          toRendered.toMillis(),
          done.get("status").asText(),
          toSuccess.toMillis(),
          chunkMs);

      assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
      assertThat(done.get("chunks").get(victim.index()).get("workerId").asText())
          .isNotEqualTo(victim.workerId());
      assertThat(toProgress).isLessThan(Duration.ofSeconds(LEASE_SECONDS));
      assertThat(toRendered)
          .as("every chunk within the lease plus the %d chunks left on one worker", chunksLeft)
          .isLessThan(
              Duration.ofSeconds(LEASE_SECONDS)
                  .plusMillis(chunksLeft * chunkMs)
                  .plus(DISPATCH_ALLOWANCE));
    } finally {
      signal("CONT", frozen.pid());
    }
  }

  record Held(int index, String workerId, int step) {}

  private static Held awaitChunkMidDenoise(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT chunk_index, worker_id, step FROM chunk WHERE job_id = ?::uuid AND status = 'RUNNING'"
                    + " AND step BETWEEN 2 AND 60")) {
      s.setString(1, jobId);
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) return new Held(r.getInt(1), r.getString(2), r.getInt(3));
        }
        Thread.sleep(5);
      }
    }
    throw new AssertionError("no chunk of " + jobId + " seen mid-denoise within " + timeout);
  }

  /** How long until the victim chunk runs (or is done) on another worker. */
  private static Duration awaitRunElsewhere(String jobId, Held victim, Duration timeout)
      throws Exception {
    Instant from = Instant.now();
    Instant deadline = from.plus(timeout);
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT 1 FROM chunk WHERE job_id = ?::uuid AND chunk_index = ?"
                    + " AND status IN ('RUNNING','DONE') AND worker_id <> ?")) {
      s.setString(1, jobId);
      s.setInt(2, victim.index());
      s.setString(3, victim.workerId());
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) return Duration.between(from, Instant.now());
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("chunk " + victim.index() + " did not move within " + timeout);
  }

  /** The one value an aggregate over the job's chunks returns. */
  private static <T> T overChunks(String jobId, String aggregate, Class<T> type) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement("SELECT " + aggregate + " FROM chunk WHERE job_id = ?::uuid")) {
      s.setString(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getObject(1, type);
      }
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    assertThat(rc).as("kill -%s %d", signal, pid).isZero();
  }
}
