package dev.reelfarm.schema.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sequence messages' wire format, fixed by recorded messages: an encoder and an orchestrator of
 * different builds read each other's sequence tasks and reports as long as these decode.
 */
class SequenceWireFormatTest {
  private static final UUID BATCH = UUID.fromString("3c2b1a09-8f7e-4d6c-9b5a-4a3b2c1d0e9f");
  private static final UUID JOB = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  private static final long AT = 1764618905123L;

  private static final String RECORDED_TASK =
      "{\"schemaVersion\":1,\"batchId\":\""
          + BATCH
          + "\",\"preset\":\"tiktok\",\"transition\":\"dissolve\",\"transitionFrames\":15,"
          + "\"artifactPrefix\":\"batches/"
          + BATCH
          + "/output\",\"shots\":[{\"schemaVersion\":2,\"jobId\":\""
          + JOB
          + "\",\"preset\":\"tiktok\",\"nativeWidth\":64,\"nativeHeight\":112,\"nativeFps\":8,"
          + "\"totalFrames\":16,\"chunks\":[{\"chunkIndex\":0,\"framesUri\":\"jobs/j/chunks/0/run-r/frames.rgb\","
          + "\"windowStart\":0,\"windowFrames\":8,\"ownedStart\":0,\"ownedEnd\":8}],"
          + "\"artifactPrefix\":\"jobs/"
          + JOB
          + "/output\",\"complete\":true,\"interpolation\":null}]}";

  @Test
  void aRecordedSequenceTaskDecodesWithItsShotsAsEncodeTasks() {
    SequenceTask task = Topics.SEQUENCE_TASKS.fromJson(RECORDED_TASK);

    assertThat(task)
        .isEqualTo(
            new SequenceTask(
                1,
                BATCH,
                "tiktok",
                "dissolve",
                15,
                "batches/" + BATCH + "/output",
                List.of(
                    new EncodeTask(
                        2,
                        JOB,
                        "tiktok",
                        64,
                        112,
                        8,
                        16,
                        List.of(
                            new EncodeTask.ChunkFrames(
                                0, "jobs/j/chunks/0/run-r/frames.rgb", 0, 8, 0, 8)),
                        "jobs/" + JOB + "/output",
                        true,
                        null))));
    assertThat(Topics.SEQUENCE_TASKS.fromJson(Topics.SEQUENCE_TASKS.toJson(task))).isEqualTo(task);
  }

  @Test
  void aSequenceTaskWithAPartialShotIsMalformed() {
    String partial = RECORDED_TASK.replace("\"complete\":true", "\"complete\":false");
    assertThatThrownBy(() -> Topics.SEQUENCE_TASKS.fromJson(partial))
        .isInstanceOf(MessageCodec.MalformedMessageException.class)
        .hasMessageContaining("partial");
  }

  @Test
  void recordedSequenceReportsDecodeIntoTheirKinds() {
    String encoded =
        "{\"type\":\"ENCODED\",\"schemaVersion\":1,\"batchId\":\""
            + BATCH
            + "\",\"videoUri\":\"batches/b/output/tiktok.mp4\",\"sizeBytes\":123456,"
            + "\"durationSeconds\":7.5,\"frames\":225,\"shotStartFrames\":[0,75,150],"
            + "\"transitionFrames\":0,\"encodeMs\":4000,\"timestampMillis\":"
            + AT
            + "}";
    String failed =
        "{\"type\":\"FAILED\",\"schemaVersion\":1,\"batchId\":\""
            + BATCH
            + "\",\"error\":\"shot 1: frames file is missing\",\"timestampMillis\":"
            + AT
            + "}";

    assertThat(Topics.SEQUENCE_EVENTS.fromJson(encoded))
        .isEqualTo(
            new SequenceEvent.Encoded(
                1,
                BATCH,
                "batches/b/output/tiktok.mp4",
                123456,
                7.5,
                225,
                List.of(0, 75, 150),
                0,
                4000,
                AT));
    assertThat(Topics.SEQUENCE_EVENTS.fromJson(failed))
        .isEqualTo(new SequenceEvent.Failed(1, BATCH, "shot 1: frames file is missing", AT));
    assertThat(Topics.SEQUENCE_EVENTS.toJson(Topics.SEQUENCE_EVENTS.fromJson(encoded)))
        .contains("\"type\":\"ENCODED\"");
  }
}
