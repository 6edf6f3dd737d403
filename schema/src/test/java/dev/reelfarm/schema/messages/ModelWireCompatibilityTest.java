package dev.reelfarm.schema.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.bundle.BundleRef;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Workers and orchestrators from before and after issue 16 (several models per farm) understand
 * each other: a recorded heartbeat and chunk task of the old format decode with no model facts (and
 * route by the model's name alone), and what the new ones write decodes into copies of the old
 * records, kept below as they were, for this test only.
 */
class ModelWireCompatibilityTest {
  private static final UUID JOB = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");

  /** {@code WorkerHeartbeat} as it was before issue 16. */
  record OldHeartbeat(
      int schemaVersion,
      String workerId,
      String model,
      String device,
      String host,
      long pid,
      UUID currentJobId,
      Long currentChunkId,
      List<Integer> taskPartitions,
      long timestampMillis) {}

  /** {@code ChunkTask} as it was before issue 16. */
  record OldChunkTask(
      int schemaVersion,
      UUID jobId,
      long chunkId,
      int chunkIndex,
      String prompt,
      String negativePrompt,
      long seed,
      int steps,
      double guidanceScale,
      int windowStart,
      int windowFrames,
      List<Integer> frames,
      List<ChunkTask.ContextFrame> context,
      String artifactPrefix,
      int dispatchEpoch) {}

  /** A heartbeat recorded from a worker before issue 16. */
  private static final String OLD_HEARTBEAT =
      "{\"schemaVersion\":1,\"workerId\":\"worker-1\",\"model\":\"tiny-shapes@step14547\","
          + "\"device\":\"CPU\",\"host\":\"render-3\",\"pid\":4711,\"currentJobId\":null,"
          + "\"currentChunkId\":null,\"taskPartitions\":[0,1,2],\"timestampMillis\":1764618905123}";

  /** A chunk task recorded from an orchestrator before issue 16. */
  private static final String OLD_TASK =
      "{\"schemaVersion\":1,\"jobId\":\""
          + JOB
          + "\",\"chunkId\":42,\"chunkIndex\":0,\"prompt\":\"a red circle\",\"negativePrompt\":\"\","
          + "\"seed\":7,\"steps\":4,\"guidanceScale\":3.0,\"windowStart\":0,\"windowFrames\":8,"
          + "\"frames\":[0,1,2,3,4,5,6,7],\"context\":[],\"artifactPrefix\":\"jobs/"
          + JOB
          + "/chunks/0\",\"dispatchEpoch\":1}";

  private static final BundleFacts FIXTURE =
      new BundleFacts(
          "tiny-random-bfchw", "1", "sha256:" + "ab".repeat(32), 48, 80, 8, 6, 1, 4, 3.0, true);

  @Test
  void anOldHeartbeatDecodesWithoutFactsAndNamesItsModelByTheNameBeforeTheAt() {
    WorkerHeartbeat h = MessageCodec.fromJson(OLD_HEARTBEAT, WorkerHeartbeat.class);

    assertThat(h.bundle()).isNull();
    assertThat(h.model()).isEqualTo("tiny-shapes@step14547");
    assertThat(h.modelName()).isEqualTo("tiny-shapes");
    assertThat(h.taskPartitions()).containsExactly(0, 1, 2);
  }

  @Test
  void aNewHeartbeatCarriesItsBundleAndStillDecodesAsAnOldOne() {
    var h =
        new WorkerHeartbeat(
            1,
            "worker-2",
            "tiny-random-bfchw@1",
            "CPU",
            "render-4",
            99,
            null,
            null,
            List.of(3),
            1764618905123L,
            FIXTURE);
    String json = MessageCodec.toJson(h);

    assertThat(MessageCodec.fromJson(json, WorkerHeartbeat.class)).isEqualTo(h);
    assertThat(h.modelName()).isEqualTo("tiny-random-bfchw");
    OldHeartbeat old = MessageCodec.fromJson(json, OldHeartbeat.class);
    assertThat(old)
        .isEqualTo(
            new OldHeartbeat(
                1,
                "worker-2",
                "tiny-random-bfchw@1",
                "CPU",
                "render-4",
                99,
                null,
                null,
                List.of(3),
                1764618905123L));
  }

  @Test
  void aHeartbeatWhoseBundleHasNoChecksumIsMalformed() {
    String json =
        OLD_HEARTBEAT.replace(
            "}", ",\"bundle\":{\"name\":\"x\",\"nativeFps\":8,\"framesPerChunk\":8}}");

    assertThatThrownBy(() -> MessageCodec.fromJson(json, WorkerHeartbeat.class))
        .isInstanceOf(MessageCodec.MalformedMessageException.class)
        .hasMessageContaining("bundle.checksum");
  }

  @Test
  void aBundleReportFromBeforeTheVaeTemporalScaleWasSentMeansAVaeThatDoesNotCompressTime() {
    String json =
        OLD_HEARTBEAT.replace(
            "}",
            ",\"bundle\":{\"name\":\"x\",\"checksum\":\"sha256:00\",\"nativeWidth\":48,"
                + "\"nativeHeight\":80,\"nativeFps\":8,\"framesPerChunk\":8,"
                + "\"defaultSteps\":4,\"defaultGuidanceScale\":3.0}}");

    BundleFacts bundle = MessageCodec.fromJson(json, WorkerHeartbeat.class).bundle();
    assertThat(bundle.vaeTemporalScale()).isEqualTo(1);
    assertThat(bundle.keyframePlans()).isTrue();
    assertThat(bundle.contextFramesFor(2)).isEqualTo(2);
  }

  @Test
  void anOldTaskNamesNoModelAndANewOneNamesItsJobsBundle() {
    ChunkTask old = MessageCodec.fromJson(OLD_TASK, ChunkTask.class);
    assertThat(old.model()).as("any worker may render it").isNull();
    assertThat(old.dispatchEpoch()).isEqualTo(1);

    var task =
        new ChunkTask(
            1,
            JOB,
            42,
            0,
            "a red circle",
            "",
            7,
            4,
            3.0,
            0,
            8,
            List.of(0, 1, 2, 3, 4, 5, 6, 7),
            List.of(),
            "jobs/" + JOB + "/chunks/0",
            1,
            null,
            FIXTURE.ref());
    String json = MessageCodec.toJson(task);

    assertThat(MessageCodec.fromJson(json, ChunkTask.class).model()).isEqualTo(FIXTURE.ref());
    assertThat(MessageCodec.fromJson(json, OldChunkTask.class))
        .isEqualTo(MessageCodec.fromJson(OLD_TASK, OldChunkTask.class));
  }

  @Test
  void aWorkerServesItsBundlesNameAndChecksumAndAnUnknownChecksumMatchesByName() {
    BundleRef loaded = FIXTURE.ref();

    assertThat(loaded.serves(new BundleRef("tiny-random-bfchw", FIXTURE.checksum()))).isTrue();
    assertThat(loaded.serves(new BundleRef("tiny-random-bfchw", null))).isTrue();
    assertThat(new BundleRef("tiny-random-bfchw", null).serves(loaded)).isTrue();
    assertThat(loaded.serves(new BundleRef("tiny-random-bfchw", "sha256:" + "cd".repeat(32))))
        .as("same name, other files")
        .isFalse();
    assertThat(loaded.serves(new BundleRef("tiny-shapes", FIXTURE.checksum()))).isFalse();
    assertThat(loaded.toString()).isEqualTo("tiny-random-bfchw (abababababab)");
  }
}
