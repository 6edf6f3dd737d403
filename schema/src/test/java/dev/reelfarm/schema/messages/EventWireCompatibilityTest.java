package dev.reelfarm.schema.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Services of the flat-record version and of the sealed version understand each other: recorded
 * messages in the flat format (all fields, nulls included) decode into the sealed types, and what
 * the sealed types write decodes into the flat records (kept below, as they were, for this test
 * only).
 */
class EventWireCompatibilityTest {
  private static final UUID JOB = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  private static final UUID RUN = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");
  private static final long AT = 1764618905123L;

  /** {@code ChunkEvent} as it was: one record for four kinds. */
  record FlatChunkEvent(
      int schemaVersion,
      FlatChunkEvent.Type type,
      UUID jobId,
      long chunkId,
      UUID runId,
      String workerId,
      int step,
      int steps,
      String framesUri,
      String latentsUri,
      String previewUri,
      ChunkEvent.Timings timings,
      String error,
      long timestampMillis) {
    enum Type {
      STARTED,
      STEP,
      COMPLETED,
      FAILED
    }
  }

  /** {@code JobEvent} as it was. */
  record FlatJobEvent(
      int schemaVersion,
      FlatJobEvent.Type type,
      UUID jobId,
      String videoUri,
      String posterUri,
      long sizeBytes,
      double durationSeconds,
      int frames,
      long encodeMs,
      String error,
      long timestampMillis) {
    enum Type {
      ENCODING,
      ENCODED,
      FAILED
    }
  }

  private static String flatChunk(
      String type,
      int step,
      String frames,
      String latents,
      String preview,
      String timings,
      String error) {
    return "{\"schemaVersion\":1,\"type\":\""
        + type
        + "\",\"jobId\":\""
        + JOB
        + "\",\"chunkId\":42,\"runId\":\""
        + RUN
        + "\",\"workerId\":\"worker-1\",\"step\":"
        + step
        + ",\"steps\":20,\"framesUri\":"
        + frames
        + ",\"latentsUri\":"
        + latents
        + ",\"previewUri\":"
        + preview
        + ",\"timings\":"
        + timings
        + ",\"error\":"
        + error
        + ",\"timestampMillis\":"
        + AT
        + "}";
  }

  @Test
  void flatStartedDecodesAsStarted() {
    String recorded = flatChunk("STARTED", 0, "null", "null", "null", "null", "null");
    assertThat(MessageCodec.fromJson(recorded, ChunkEvent.class))
        .isEqualTo(new ChunkEvent.Started(1, JOB, 42, RUN, "worker-1", 20, AT));
  }

  @Test
  void flatStepDecodesAsStep() {
    String recorded =
        flatChunk(
            "STEP", 7, "null", "null", "\"jobs/x/chunks/0/run-r/preview-7.png\"", "null", "null");
    assertThat(MessageCodec.fromJson(recorded, ChunkEvent.class))
        .isEqualTo(
            new ChunkEvent.Step(
                1, JOB, 42, RUN, "worker-1", 7, 20, "jobs/x/chunks/0/run-r/preview-7.png", AT));
  }

  @Test
  void flatCompletedDecodesAsCompleted() {
    String recorded =
        flatChunk(
            "COMPLETED",
            20,
            "\"f.rgb\"",
            "\"l.f32\"",
            "null",
            "{\"textMs\":1,\"denoiseMs\":2,\"decodeMs\":3}",
            "null");
    assertThat(MessageCodec.fromJson(recorded, ChunkEvent.class))
        .isEqualTo(
            new ChunkEvent.Completed(
                1,
                JOB,
                42,
                RUN,
                "worker-1",
                20,
                "f.rgb",
                "l.f32",
                new ChunkEvent.Timings(1, 2, 3),
                AT));
  }

  @Test
  void flatFailedDecodesAsFailed() {
    String recorded =
        flatChunk(
            "FAILED", 0, "null", "null", "null", "null", "\"java.io.IOException: disk full\"");
    assertThat(MessageCodec.fromJson(recorded, ChunkEvent.class))
        .isEqualTo(
            new ChunkEvent.Failed(
                1, JOB, 42, RUN, "worker-1", 20, "java.io.IOException: disk full", AT));
  }

  @Test
  void sealedChunkEventsDecodeAsTheFlatRecordWithTheSameFields() {
    var timings = new ChunkEvent.Timings(1, 2, 3);
    assertThat(flat(new ChunkEvent.Started(1, JOB, 42, RUN, "worker-1", 20, AT)))
        .isEqualTo(
            new FlatChunkEvent(
                1,
                FlatChunkEvent.Type.STARTED,
                JOB,
                42,
                RUN,
                "worker-1",
                0,
                20,
                null,
                null,
                null,
                null,
                null,
                AT));
    assertThat(flat(new ChunkEvent.Step(1, JOB, 42, RUN, "worker-1", 7, 20, "p.png", AT)))
        .isEqualTo(
            new FlatChunkEvent(
                1,
                FlatChunkEvent.Type.STEP,
                JOB,
                42,
                RUN,
                "worker-1",
                7,
                20,
                null,
                null,
                "p.png",
                null,
                null,
                AT));
    // the flat COMPLETED carried step = steps; its readers never used it (the chunk's step becomes
    // its steps)
    assertThat(
            flat(
                new ChunkEvent.Completed(
                    1, JOB, 42, RUN, "worker-1", 20, "f.rgb", "l.f32", timings, AT)))
        .isEqualTo(
            new FlatChunkEvent(
                1,
                FlatChunkEvent.Type.COMPLETED,
                JOB,
                42,
                RUN,
                "worker-1",
                0,
                20,
                "f.rgb",
                "l.f32",
                null,
                timings,
                null,
                AT));
    assertThat(flat(new ChunkEvent.Failed(1, JOB, 42, RUN, "worker-1", 20, "boom", AT)))
        .isEqualTo(
            new FlatChunkEvent(
                1,
                FlatChunkEvent.Type.FAILED,
                JOB,
                42,
                RUN,
                "worker-1",
                0,
                20,
                null,
                null,
                null,
                null,
                "boom",
                AT));
  }

  @Test
  void recordedEventsWithoutADispatchEpochAreOfTheOldestEpoch() {
    for (String type : List.of("STARTED", "STEP", "COMPLETED", "FAILED")) {
      boolean completed = type.equals("COMPLETED"); // a result names its artifacts
      String recorded =
          flatChunk(
              type,
              0,
              completed ? "\"file:///a/frames.rgb\"" : "null",
              completed ? "\"file:///a/latents.f32\"" : "null",
              "null",
              "null",
              "null");
      assertThat(MessageCodec.fromJson(recorded, ChunkEvent.class).dispatchEpoch())
          .as(type)
          .isZero();
    }
  }

  @Test
  void everyEventKindCarriesItsDispatchEpochOnTheWire() {
    var timings = new ChunkEvent.Timings(1, 2, 3);
    List<ChunkEvent> events =
        List.of(
            new ChunkEvent.Started(1, JOB, 42, RUN, "worker-1", 20, AT, 3),
            new ChunkEvent.Step(1, JOB, 42, RUN, "worker-1", 7, 20, "p.png", AT, 3),
            new ChunkEvent.Completed(
                1, JOB, 42, RUN, "worker-1", 20, "f.rgb", "l.f32", timings, AT, 3),
            new ChunkEvent.Failed(1, JOB, 42, RUN, "worker-1", 20, "boom", AT, 3));
    for (ChunkEvent e : events) {
      String json = MessageCodec.toJson(e);
      assertThat(json).contains("\"dispatchEpoch\":3");
      assertThat(MessageCodec.fromJson(json, ChunkEvent.class)).isEqualTo(e);
      assertThat(flat(e)).as("an older reader ignores the new field").isNotNull();
    }
  }

  @Test
  void aRecordedChunkTaskWithoutADispatchEpochIsOfTheOldestEpoch() {
    String recorded =
        "{\"schemaVersion\":1,\"jobId\":\""
            + JOB
            + "\",\"chunkId\":42,\"chunkIndex\":3,\"prompt\":\"a red circle\",\"negativePrompt\":\"\","
            + "\"seed\":1,\"steps\":4,\"guidanceScale\":3.0,\"windowStart\":0,\"windowFrames\":8,"
            + "\"frames\":[0,1,2,3,4,5,6,7],\"context\":[],\"artifactPrefix\":\"jobs/x\"}";
    ChunkTask task = MessageCodec.fromJson(recorded, ChunkTask.class);
    assertThat(task.dispatchEpoch()).isZero();
    assertThat(task.chunkId()).isEqualTo(42);
    ChunkTask newer =
        MessageCodec.fromJson(recorded.replace("}", ",\"dispatchEpoch\":5}"), ChunkTask.class);
    assertThat(newer.dispatchEpoch()).isEqualTo(5);
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(newer), ChunkTask.class)).isEqualTo(newer);
  }

  @Test
  void completedWithoutTimingsCountsZero() {
    String recorded = flatChunk("COMPLETED", 20, "\"f.rgb\"", "\"l.f32\"", "null", "null", "null");
    var completed = (ChunkEvent.Completed) MessageCodec.fromJson(recorded, ChunkEvent.class);
    assertThat(completed.timings()).isEqualTo(new ChunkEvent.Timings(0, 0, 0));
  }

  private static String flatJob(
      String type,
      String video,
      String poster,
      long size,
      double duration,
      int frames,
      long encodeMs,
      String error) {
    return "{\"schemaVersion\":1,\"type\":\""
        + type
        + "\",\"jobId\":\""
        + JOB
        + "\",\"videoUri\":"
        + video
        + ",\"posterUri\":"
        + poster
        + ",\"sizeBytes\":"
        + size
        + ",\"durationSeconds\":"
        + duration
        + ",\"frames\":"
        + frames
        + ",\"encodeMs\":"
        + encodeMs
        + ",\"error\":"
        + error
        + ",\"timestampMillis\":"
        + AT
        + "}";
  }

  @Test
  void flatJobEventsDecodeAsTheirKinds() {
    assertThat(
            MessageCodec.fromJson(
                flatJob("ENCODING", "null", "null", 0, 0.0, 0, 0, "null"), JobEvent.class))
        .isEqualTo(new JobEvent.Encoding(1, JOB, AT));
    assertThat(
            MessageCodec.fromJson(
                flatJob("ENCODED", "\"v.mp4\"", "\"p.jpg\"", 1234, 4.0, 120, 900, "null"),
                JobEvent.class))
        .isEqualTo(new JobEvent.Encoded(1, JOB, "v.mp4", "p.jpg", 1234, 4.0, 120, 900, AT));
    assertThat(
            MessageCodec.fromJson(
                flatJob("FAILED", "null", "null", 0, 0.0, 0, 0, "\"no frames\""), JobEvent.class))
        .isEqualTo(new JobEvent.Failed(1, JOB, "no frames", AT));
  }

  @Test
  void sealedJobEventsDecodeAsTheFlatRecordWithTheSameFields() {
    assertThat(flat(new JobEvent.Encoding(1, JOB, AT)))
        .isEqualTo(
            new FlatJobEvent(1, FlatJobEvent.Type.ENCODING, JOB, null, null, 0, 0, 0, 0, null, AT));
    assertThat(flat(new JobEvent.Encoded(1, JOB, "v.mp4", "p.jpg", 1234, 4.0, 120, 900, AT)))
        .isEqualTo(
            new FlatJobEvent(
                1,
                FlatJobEvent.Type.ENCODED,
                JOB,
                "v.mp4",
                "p.jpg",
                1234,
                4.0,
                120,
                900,
                null,
                AT));
    assertThat(flat(new JobEvent.Failed(1, JOB, "no frames", AT)))
        .isEqualTo(
            new FlatJobEvent(
                1, FlatJobEvent.Type.FAILED, JOB, null, null, 0, 0, 0, 0, "no frames", AT));
  }

  @Test
  void typeIsWrittenOnce() {
    String json = MessageCodec.toJson(new ChunkEvent.Started(1, JOB, 42, RUN, "worker-1", 20, AT));
    assertThat(json.split("\"type\"", -1)).hasSize(2);
    assertThat(json).contains("\"type\":\"STARTED\"");
  }

  private static FlatChunkEvent flat(ChunkEvent e) {
    return MessageCodec.fromJson(MessageCodec.toJson(e), FlatChunkEvent.class);
  }

  private static FlatJobEvent flat(JobEvent e) {
    return MessageCodec.fromJson(MessageCodec.toJson(e), FlatJobEvent.class);
  }
}
