package dev.reelfarm.schema.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each typed SSE payload writes the JSON the orchestrator wrote before the types existed (the
 * recorded payloads below, as JobEventLog built them from maps), and reads back into itself.
 */
class RenderEventJsonTest {
  private static final ObjectMapper JSON = ApiJson.mapper();
  private static final UUID JOB = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  private static final UUID RUN = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");
  private static final Instant AT = Instant.parse("2026-12-01T19:55:05.123456Z");
  private static final String HEAD =
      "\"jobId\":\"" + JOB + "\",\"at\":\"2026-12-01T19:55:05.123456Z\",";

  static Stream<Arguments> recorded() {
    String base = "/api/v1/renders/" + JOB;
    return Stream.of(
        Arguments.of(
            new RenderEvent.Queued(JOB, 1, AT, 9, 96, RenderMode.ANCHORED),
            "{\"type\":\"queued\","
                + HEAD
                + "\"seq\":1,\"chunks\":9,\"totalFrames\":96,\"mode\":\"anchored\"}"),
        Arguments.of(
            new RenderEvent.ChunkStarted(JOB, 2, AT, 0, "worker-1", 1, 20, RUN),
            "{\"type\":\"chunk-started\","
                + HEAD
                + "\"seq\":2,\"chunk\":0,\"worker\":\"worker-1\",\"attempt\":1,\"steps\":20,\"runId\":\""
                + RUN
                + "\"}"),
        Arguments.of(
            new RenderEvent.Step(JOB, 3, AT, 0, 5, 20, "worker-1"),
            "{\"type\":\"step\","
                + HEAD
                + "\"seq\":3,\"chunk\":0,\"step\":5,\"steps\":20,\"worker\":\"worker-1\"}"),
        Arguments.of(
            new RenderEvent.Preview(JOB, 4, AT, 0, 5, base + "/chunks/0/preview.png?step=5"),
            "{\"type\":\"preview\","
                + HEAD
                + "\"seq\":4,\"chunk\":0,\"step\":5,\"url\":\""
                + base
                + "/chunks/0/preview.png?step=5\"}"),
        Arguments.of(
            new RenderEvent.ChunkCompleted(JOB, 5, AT, 0, "worker-1", 1, 12345L),
            "{\"type\":\"chunk-completed\","
                + HEAD
                + "\"seq\":5,\"chunk\":0,\"worker\":\"worker-1\",\"attempt\":1,\"denoiseMs\":12345}"),
        Arguments.of(
            new RenderEvent.ChunkFailed(
                JOB, 6, AT, 1, "worker-2", 2, true, "java.lang.IllegalStateException: boom"),
            "{\"type\":\"chunk-failed\","
                + HEAD
                + "\"seq\":6,\"chunk\":1,\"worker\":\"worker-2\",\"attempt\":2,\"retry\":true,"
                + "\"error\":\"java.lang.IllegalStateException: boom\"}"),
        Arguments.of(
            // a failure report without a message: the old payload (a HashMap) kept "error": null
            new RenderEvent.ChunkFailed(JOB, 7, AT, 1, "worker-2", 3, false, null),
            "{\"type\":\"chunk-failed\","
                + HEAD
                + "\"seq\":7,\"chunk\":1,\"worker\":\"worker-2\",\"attempt\":3,\"retry\":false,\"error\":null}"),
        Arguments.of(
            new RenderEvent.AwaitingApproval(JOB, 12, AT, 1, 4, "7", base + "/storyboard"),
            "{\"type\":\"awaiting-approval\","
                + HEAD
                + "\"seq\":12,\"round\":1,\"keyframes\":4,\"seed\":\"7\",\"storyboard\":\""
                + base
                + "/storyboard\"}"),
        Arguments.of(
            new RenderEvent.Approved(JOB, 13, AT, 2, 9400L),
            "{\"type\":\"approved\"," + HEAD + "\"seq\":13,\"round\":2,\"waitedMs\":9400}"),
        Arguments.of(
            new RenderEvent.Rerolled(JOB, 14, AT, 2, "4242"),
            "{\"type\":\"rerolled\"," + HEAD + "\"seq\":14,\"round\":2,\"seed\":\"4242\"}"),
        Arguments.of(
            new RenderEvent.Rerender(JOB, 12, AT, 3, "424242", 2),
            "{\"type\":\"rerender\","
                + HEAD
                + "\"seq\":12,\"chunk\":3,\"seed\":\"424242\",\"version\":2}"),
        Arguments.of(
            new RenderEvent.Encoding(JOB, 8, AT, 9),
            "{\"type\":\"encoding\"," + HEAD + "\"seq\":8,\"chunks\":9}"),
        Arguments.of(
            new RenderEvent.Succeeded(
                JOB, 9, AT, base + "/video", base + "/poster.jpg", 183211L, 4.0, 120),
            "{\"type\":\"succeeded\","
                + HEAD
                + "\"seq\":9,\"video\":\""
                + base
                + "/video\",\"poster\":\""
                + base
                + "/poster.jpg\",\"sizeBytes\":183211,\"durationSeconds\":4.0,\"frames\":120}"),
        Arguments.of(
            new RenderEvent.Failed(JOB, 10, AT, "chunk 1 failed after 3 attempts: boom"),
            "{\"type\":\"failed\","
                + HEAD
                + "\"seq\":10,\"reason\":\"chunk 1 failed after 3 attempts: boom\"}"),
        Arguments.of(
            new RenderEvent.Cancelled(JOB, 11, AT, "cancelled by request"),
            "{\"type\":\"cancelled\"," + HEAD + "\"seq\":11,\"reason\":\"cancelled by request\"}"));
  }

  @ParameterizedTest
  @MethodSource("recorded")
  void writesTheRecordedPayload(RenderEvent event, String recorded) throws Exception {
    assertThat(JSON.readTree(JSON.writeValueAsString(event))).isEqualTo(JSON.readTree(recorded));
  }

  @ParameterizedTest
  @MethodSource("recorded")
  void readsTheRecordedPayloadIntoItsType(RenderEvent event, String recorded) throws Exception {
    assertThat(JSON.readValue(recorded, RenderEvent.class)).isEqualTo(event);
  }

  @ParameterizedTest
  @MethodSource("recorded")
  void typeNameIsTheJsonType(RenderEvent event, String recorded) throws Exception {
    assertThat(event.type()).isEqualTo(JSON.readTree(recorded).get("type").textValue());
  }

  @ParameterizedTest
  @MethodSource("recorded")
  void onlySucceededFailedAndCancelledEndTheStream(RenderEvent event, String recorded) {
    boolean terminal =
        event instanceof RenderEvent.Succeeded
            || event instanceof RenderEvent.Failed
            || event instanceof RenderEvent.Cancelled;
    assertThat(RenderEvent.TERMINAL_TYPES.contains(event.type())).isEqualTo(terminal);
  }
}
