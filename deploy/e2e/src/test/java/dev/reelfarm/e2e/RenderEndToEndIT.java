package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole farm on real parts: embedded PostgreSQL, a Kafka broker, the orchestrator, two workers
 * running ONNX Runtime, the encoder running FFmpeg. A prompt goes in over HTTP; an MP4 comes out.
 * It runs on the {@link SharedFarm}: it neither kills services nor reconfigures the farm, and its
 * counts are of its own jobs or taken around one request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class RenderEndToEndIT {
  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  static String jobId;

  @BeforeAll
  static void start() {
    farm = SharedFarm.farm();
    client = SharedFarm.client();
  }

  @Test
  @Order(1)
  void promptBecomesAnH264HighPortraitClipTrackedInPostgres() throws Exception {
    jobId =
        client.submit(
            "{\"prompt\":\"a red circle moving right on a blue background\",\"durationSeconds\":4,"
                + "\"preset\":\"tiktok\",\"seed\":1234,\"steps\":8,\"mode\":\"sequential\"}");

    JsonNode job = client.awaitFinal(jobId, Duration.ofSeconds(180));

    assertThat(job.get("status").asText()).as("job %s", job).isEqualTo("SUCCEEDED");
    assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
    Path mp4 = tmp.resolve("clip.mp4");
    var download = client.download("/api/v1/renders/" + jobId + "/video", mp4);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("video/mp4");
    VideoInfo info = VideoProbe.probe(mp4);
    assertThat(info.codec()).isEqualTo("h264");
    assertThat(info.profile()).isEqualTo(VideoInfo.H264_PROFILE_HIGH);
    assertThat(info.width()).isEqualTo(1080);
    assertThat(info.height()).isEqualTo(1920);
    assertThat(info.pixelFormat()).isEqualTo("yuv420p");
    assertThat(info.frameRate()).isEqualTo(30.0);
    assertThat(info.frames()).isBetween(119, 121);
    assertThat(info.moovBeforeMdat()).isTrue();

    try (Connection c = client.db()) {
      try (PreparedStatement s =
          c.prepareStatement("SELECT * FROM render_job WHERE id = ?::uuid")) {
        s.setString(1, jobId);
        try (ResultSet r = s.executeQuery()) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString("status")).isEqualTo("SUCCEEDED");
          assertThat(r.getLong("video_size_bytes")).isEqualTo(Files.size(mp4));
          assertThat(r.getInt("video_frames")).isEqualTo(info.frames());
          assertThat(r.getDouble("video_duration_seconds"))
              .isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.05));
          assertThat(r.getTimestamp("finished_at")).isNotNull();
        }
      }
      List<int[]> owned = new ArrayList<>();
      try (PreparedStatement s =
          c.prepareStatement("SELECT * FROM chunk WHERE job_id = ?::uuid ORDER BY chunk_index")) {
        s.setString(1, jobId);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            assertThat(r.getString("status")).isEqualTo("DONE");
            assertThat(r.getInt("attempt")).isEqualTo(1);
            assertThat(r.getString("worker_id")).startsWith("worker-");
            assertThat(r.getString("frames_uri")).contains("/run-");
            assertThat(r.getInt("step")).isEqualTo(8);
            owned.add(new int[] {r.getInt("owned_start"), r.getInt("owned_end")});
          }
        }
      }
      assertThat(owned).hasSize(5);
      for (int i = 0; i < owned.size(); i++)
        assertThat(owned.get(i)[0]).isEqualTo(i == 0 ? 0 : owned.get(i - 1)[1]);
      assertThat(owned.get(owned.size() - 1)[1]).isEqualTo(32);
    }
  }

  @Test
  @Order(2)
  void videoIsServedInByteRanges() throws Exception {
    var whole = client.getBytes("/api/v1/renders/" + jobId + "/video", Map.of());
    var part =
        client.getBytes("/api/v1/renders/" + jobId + "/video", Map.of("Range", "bytes=100-199"));

    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range"))
        .hasValue("bytes 100-199/" + whole.body().length);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole.body(), 100, 200));
    assertThat(
            client
                .getBytes("/api/v1/renders/" + jobId + "/poster.jpg", Map.of())
                .headers()
                .firstValue("Content-Type"))
        .hasValue("image/jpeg");
  }

  @Test
  @Order(3)
  void eventLogNumbersAJobsEventsWithoutGaps() throws Exception {
    List<String> types = new ArrayList<>();
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT seq, type FROM job_event WHERE job_id = ?::uuid ORDER BY seq")) {
      s.setString(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        int expected = 1;
        while (r.next()) {
          assertThat(r.getInt("seq")).isEqualTo(expected++);
          types.add(r.getString("type"));
        }
      }
    }
    assertThat(types.get(0)).isEqualTo("queued");
    assertThat(types).contains("chunk-started", "step", "chunk-completed", "encoding");
    assertThat(types.get(types.size() - 1)).isEqualTo("succeeded");
  }

  @Test
  @Order(4)
  void completedEventFromAnUnknownRunDoesNotChangeTheChunk() throws Exception {
    String before = chunkRow(2);
    long chunkId = Long.parseLong(before.split("\\|")[0]);
    ChunkEvent stale =
        new ChunkEvent.Completed(
            ChunkEvent.SCHEMA_VERSION,
            UUID.fromString(jobId),
            chunkId,
            UUID.randomUUID(),
            "worker-stale",
            8,
            "file:///tmp/bogus/frames.rgb",
            "file:///tmp/bogus/latents.f32",
            new ChunkEvent.Timings(1, 1, 1),
            System.currentTimeMillis());

    client.publish(stale);
    client.awaitConsumed(
        "reelfarm-orchestrator", Topics.CHUNK_EVENTS.name(), Duration.ofSeconds(30));

    assertThat(chunkRow(2)).isEqualTo(before);
  }

  static Stream<Arguments> malformedRequests() {
    String longText = "x".repeat(1001);
    return Stream.of(
        Arguments.of("", "body"),
        Arguments.of("{", "body"),
        Arguments.of("[]", "body"),
        Arguments.of("\"a red circle\"", "body"),
        Arguments.of("{\"prompt\":\"x\",}", "body"),
        Arguments.of("{\"prompt\":\"\"}", "prompt"),
        Arguments.of("{\"prompt\":\"   \"}", "prompt"),
        Arguments.of("{\"durationSeconds\":4}", "prompt"),
        Arguments.of("{\"prompt\":null}", "prompt"),
        Arguments.of("{\"prompt\":42}", "prompt"),
        Arguments.of("{\"prompt\":\"" + longText + "\"}", "prompt"),
        Arguments.of(
            "{\"prompt\":\"x\",\"negativePrompt\":\"" + longText + "\"}", "negativePrompt"),
        Arguments.of("{\"prompt\":\"x\",\"durationSeconds\":0}", "durationSeconds"),
        Arguments.of("{\"prompt\":\"x\",\"durationSeconds\":61}", "durationSeconds"),
        Arguments.of("{\"prompt\":\"x\",\"durationSeconds\":-1}", "durationSeconds"),
        Arguments.of("{\"prompt\":\"x\",\"durationSeconds\":\"4\"}", "durationSeconds"),
        Arguments.of("{\"prompt\":\"x\",\"preset\":\"imax\"}", "preset"),
        Arguments.of("{\"prompt\":\"x\",\"preset\":5}", "preset"),
        Arguments.of("{\"prompt\":\"x\",\"preset\":\"\"}", "preset"),
        Arguments.of("{\"prompt\":\"x\",\"steps\":0}", "steps"),
        Arguments.of("{\"prompt\":\"x\",\"steps\":101}", "steps"),
        Arguments.of("{\"prompt\":\"x\",\"steps\":2.5}", "steps"),
        Arguments.of("{\"prompt\":\"x\",\"steps\":\"ten\"}", "steps"),
        Arguments.of("{\"prompt\":\"x\",\"seed\":\"abc\"}", "seed"),
        Arguments.of("{\"prompt\":\"x\",\"seed\":1.5}", "seed"),
        Arguments.of("{\"prompt\":\"x\",\"seed\":true}", "seed"),
        Arguments.of("{\"prompt\":\"x\",\"guidanceScale\":-1}", "guidanceScale"),
        Arguments.of("{\"prompt\":\"x\",\"guidanceScale\":\"high\"}", "guidanceScale"),
        Arguments.of("{\"prompt\":\"x\",\"priority\":1000}", "priority"),
        Arguments.of("{\"prompt\":\"x\",\"mode\":\"turbo\"}", "mode"),
        Arguments.of("{\"prompt\":\"x\",\"durationSecond\":4}", "durationSecond"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformedRequests")
  @Order(5)
  void malformedRequestIsRejectedNamingTheFieldAndCreatesNothing(String body, String field)
      throws Exception {
    long jobs = client.count("SELECT count(*) FROM render_job");
    long chunks = client.count("SELECT count(*) FROM chunk");
    long outbox = client.count("SELECT count(*) FROM outbox");

    FarmClient.Reply reply = client.post("/api/v1/renders", body);

    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
    assertThat(reply.body().path("field").asText()).isEqualTo(field);
    assertThat(reply.body().path("message").asText()).startsWith(field + ":");
    assertThat(client.count("SELECT count(*) FROM render_job")).isEqualTo(jobs);
    assertThat(client.count("SELECT count(*) FROM chunk")).isEqualTo(chunks);
    assertThat(client.count("SELECT count(*) FROM outbox")).isEqualTo(outbox);
  }

  @Test
  @Order(6)
  void unknownRenderIs404AndABadIdIs400() throws Exception {
    assertThat(client.get("/api/v1/renders/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(client.get("/api/v1/renders/not-a-uuid").body().path("field").asText())
        .isEqualTo("id");
    assertThat(client.get("/api/v1/renders?limit=0").body().path("field").asText())
        .isEqualTo("limit");
  }

  @Test
  @Order(7)
  void workersReportTheirDevice() throws Exception {
    JsonNode workers = client.get("/api/v1/workers").body();

    assertThat(workers).hasSize(2);
    workers.forEach(w -> assertThat(w.get("device").asText()).isEqualTo("CPU"));
  }

  @Test
  @Order(8)
  void clientThatReconnectsWithLastEventIdMissesNothingAndSeesNothingTwice() throws Exception {
    String id =
        client.submit(
            "{\"prompt\":\"a green triangle moving left\",\"durationSeconds\":2,\"seed\":5,\"steps\":30}");
    var uri = farm.apiBase().resolve("/api/v1/renders/" + id + "/events");

    List<SseClient.Event> first =
        SseClient.read(
            uri,
            farm.adminKey(),
            null,
            e -> e.type().equals("chunk-started"),
            Duration.ofSeconds(60));
    List<SseClient.Event> rest =
        SseClient.read(
            uri,
            farm.adminKey(),
            first.get(first.size() - 1).id(),
            e -> e.type().equals("succeeded"),
            Duration.ofSeconds(120));
    List<SseClient.Event> replay =
        SseClient.read(
            uri, farm.adminKey(), null, e -> e.type().equals("succeeded"), Duration.ofSeconds(30));

    List<Integer> seen =
        Stream.concat(first.stream(), rest.stream()).map(e -> Integer.parseInt(e.id())).toList();
    assertThat(seen)
        .as("no gap, no duplicate")
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, seen.size()).boxed().toList());
    assertThat(rest.get(rest.size() - 1).type()).isEqualTo("succeeded");
    assertThat(replay.stream().map(SseClient.Event::id).toList())
        .as("a new connection replays from the first event")
        .isEqualTo(Stream.concat(first.stream(), rest.stream()).map(SseClient.Event::id).toList());
    assertThat(replay.get(0).type()).isEqualTo("queued");
    assertThat(replay).anySatisfy(e -> assertThat(e.type()).isEqualTo("preview"));
  }

  @Test
  @Order(9)
  void longerClipsRenderAnchoredKeyframesFirstThenInfillsWhoseOutputRangesTileTheVideo()
      throws Exception {
    String id =
        client.submit(
            "{\"prompt\":\"a white circle staying still on a black background\",\"durationSeconds\":4,\"seed\":9,\"steps\":6}");

    JsonNode job = client.awaitFinal(id, Duration.ofSeconds(180));

    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("mode").asText()).isEqualTo("anchored");
    List<JsonNode> infills = new ArrayList<>();
    for (JsonNode c : job.get("chunks")) {
      if (c.get("role").asText().equals("INFILL")) infills.add(c);
      else assertThat(c.get("role").asText()).isEqualTo("ANCHOR");
    }
    assertThat(infills).hasSize(5);
    int next = 0;
    for (JsonNode c : infills) {
      assertThat(c.get("outputFrameStart").asInt()).isEqualTo(next);
      next = c.get("outputFrameEnd").asInt();
    }
    assertThat(next).isEqualTo(job.get("video").get("frames").asInt()).isEqualTo(120);
  }

  private static String chunkRow(int index) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, status, attempt, run_id, worker_id, frames_uri, latents_uri, finished_at FROM chunk WHERE job_id = ?::uuid AND chunk_index = ?")) {
      s.setString(1, jobId);
      s.setInt(2, index);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).isTrue();
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= 8; i++) row.append(r.getString(i)).append('|');
        return row.toString();
      }
    }
  }
}
