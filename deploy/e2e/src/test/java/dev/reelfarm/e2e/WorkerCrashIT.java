package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.Topics;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers in one consumer group; the one holding a chunk is killed with SIGKILL mid-denoise.
 * Kafka hands its uncommitted task to the other worker, the orchestrator counts a second attempt
 * and fences the first run out, and the clip comes out identical to an uninterrupted render.
 */
@Timeout(420)
class WorkerCrashIT {
  private static final String REQUEST =
      "{\"prompt\":\"a yellow square moving up on a purple background\",\"durationSeconds\":4,\"seed\":77,\"steps\":100}";

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;

  @BeforeAll
  static void start() {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .workerProperty(
                "reelfarm.worker.step-event-ms", "0") // every step visible, to kill mid-denoise
            .start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void jobSurvivesAWorkerKilledMidDenoiseWithIdenticalFramesAndTheStaleRunIsFencedOut()
      throws Exception {
    String crashed = client.submit(REQUEST);
    Victim victim = awaitChunkMidDenoise(crashed, Duration.ofSeconds(120));
    ServiceProcess holder =
        farm.workers().stream()
            .filter(w -> w.name().equals(victim.workerId()))
            .findFirst()
            .orElseThrow();

    holder.killHard();
    System.out.printf(
        "killed %s (pid %d) holding chunk %d at step %d/100%n",
        victim.workerId(), holder.pid(), victim.index(), victim.step());

    JsonNode job = client.awaitFinal(crashed, Duration.ofSeconds(240));
    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("SUCCEEDED");
    for (JsonNode chunk : job.get("chunks")) {
      int expectedAttempts = chunk.get("index").asInt() == victim.index() ? 2 : 1;
      assertThat(chunk.get("attempt").asInt()).as("chunk %s", chunk).isEqualTo(expectedAttempts);
    }
    assertThat(job.get("chunks").get(victim.index()).get("workerId").asText())
        .isNotEqualTo(victim.workerId());

    String uninterrupted = client.submit(REQUEST);
    assertThat(client.awaitFinal(uninterrupted, Duration.ofSeconds(240)).get("status").asText())
        .isEqualTo("SUCCEEDED");
    List<String> crashedFrames = frameHashes(crashed);
    assertThat(crashedFrames).hasSize(120).doesNotHaveDuplicates();
    assertThat(crashedFrames).isEqualTo(frameHashes(uninterrupted));

    String chunkBefore = chunk(crashed, victim.index());
    String jobBefore = videoColumns(crashed);
    UUID firstRun = firstRunOf(crashed, victim.index());
    long chunkId = Long.parseLong(chunkBefore.split("\\|")[0]);
    client.publish(
        new ChunkEvent.Completed(
            ChunkEvent.SCHEMA_VERSION,
            UUID.fromString(crashed),
            chunkId,
            firstRun,
            victim.workerId(),
            100,
            "file:///tmp/stale/frames.rgb",
            "file:///tmp/stale/latents.f32",
            new ChunkEvent.Timings(1, 1, 1),
            System.currentTimeMillis()));
    client.awaitConsumed(
        "reelfarm-orchestrator", Topics.CHUNK_EVENTS.name(), Duration.ofSeconds(30));

    assertThat(chunk(crashed, victim.index()))
        .as("late result of the superseded run is ignored")
        .isEqualTo(chunkBefore);
    assertThat(videoColumns(crashed)).isEqualTo(jobBefore);
  }

  record Victim(int index, String workerId, int step) {}

  private static Victim awaitChunkMidDenoise(String jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT chunk_index, worker_id, step FROM chunk WHERE job_id = ?::uuid AND status = 'RUNNING' AND step BETWEEN 2 AND 60 AND chunk_index >= 1")) {
      s.setString(1, jobId);
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) return new Victim(r.getInt(1), r.getString(2), r.getInt(3));
        }
        Thread.sleep(5);
      }
    }
    throw new AssertionError("no chunk of " + jobId + " seen mid-denoise within " + timeout);
  }

  private static List<String> frameHashes(String jobId) throws Exception {
    Path mp4 = tmp.resolve(jobId + ".mp4");
    client.download("/api/v1/renders/" + jobId + "/video", mp4);
    return VideoProbe.frameHashes(mp4);
  }

  private static UUID firstRunOf(String jobId, int index) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT payload FROM job_event WHERE job_id = ?::uuid AND type = 'chunk-started' ORDER BY seq")) {
      s.setString(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          JsonNode e = FarmClient.JSON.readTree(r.getString(1));
          if (e.get("chunk").asInt() == index && e.get("attempt").asInt() == 1)
            return UUID.fromString(e.get("runId").asText());
        }
      }
    }
    throw new AssertionError("no first run recorded for chunk " + index);
  }

  private static String chunk(String jobId, int index) throws Exception {
    return row(
        "SELECT id, status, attempt, run_id, worker_id, frames_uri, latents_uri, finished_at FROM chunk WHERE job_id = ?::uuid AND chunk_index = "
            + index,
        jobId);
  }

  private static String videoColumns(String jobId) throws Exception {
    return row(
        "SELECT status, video_uri, video_size_bytes, video_frames, finished_at FROM render_job WHERE id = ?::uuid",
        jobId);
  }

  private static String row(String sql, String jobId) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++)
          b.append(r.getString(i)).append('|');
        return b.toString();
      }
    }
  }
}
