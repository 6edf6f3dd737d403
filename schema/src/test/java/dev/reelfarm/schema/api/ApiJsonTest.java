package dev.reelfarm.schema.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.presets.Interpolation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The API types write the JSON the API wrote before they existed. */
class ApiJsonTest {
  private static final ObjectMapper JSON = ApiJson.mapper();
  private static final UUID JOB = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");

  static RenderView view(JobStatus status) {
    String base = "/api/v1/renders/" + JOB;
    Instant created = Instant.parse("2026-12-01T19:55:05Z");
    var chunk =
        new RenderView.ChunkView(
            0,
            ChunkRole.ANCHOR,
            ChunkStatus.RUNNING,
            1,
            "worker-1",
            3,
            20,
            List.of(0, 7, 14),
            0,
            3,
            0,
            0,
            0,
            0,
            List.of(),
            created,
            null,
            null,
            null,
            null,
            null,
            null);
    return new RenderView(
        JOB,
        status,
        "a red ball",
        "",
        4.0,
        "tiktok",
        "42",
        20,
        3.0,
        0,
        RenderMode.ANCHORED,
        Interpolation.MOTION,
        "tiny-shapes",
        8,
        32,
        0.1,
        12.5,
        created,
        created,
        null,
        null,
        new RenderView.Timings(10L, null, null, null),
        null,
        null,
        List.of(chunk),
        new RenderView.Links(base, base + "/video", base + "/poster.jpg", base + "/events"),
        null,
        null,
        List.of());
  }

  @Test
  void renderViewWritesModeAsItsIdAndStatesByName() throws Exception {
    JsonNode json = JSON.readTree(JSON.writeValueAsString(view(JobStatus.RUNNING)));
    assertThat(json.get("status").textValue()).isEqualTo("RUNNING");
    assertThat(json.get("mode").textValue()).isEqualTo("anchored");
    assertThat(json.get("interpolation").textValue()).isEqualTo("motion");
    assertThat(json.get("seed").textValue()).isEqualTo("42");
    assertThat(json.get("createdAt").textValue()).isEqualTo("2026-12-01T19:55:05Z");
    JsonNode chunk = json.get("chunks").get(0);
    assertThat(chunk.get("role").textValue()).isEqualTo("ANCHOR");
    assertThat(chunk.get("status").textValue()).isEqualTo("RUNNING");
    assertThat(json.get("links").get("poster").textValue())
        .isEqualTo("/api/v1/renders/" + JOB + "/poster.jpg");
    assertThat(json.get("video").isNull()).isTrue();
  }

  @Test
  void renderViewReadsBackIntoItself() throws Exception {
    RenderView view = view(JobStatus.ENCODING);
    assertThat(JSON.readValue(JSON.writeValueAsString(view), RenderView.class)).isEqualTo(view);
  }

  @Test
  void anApiKeyShowsItsScopesByNameAndTheKeyOnlyWhenItHasOne() throws Exception {
    var created =
        new ApiKeyView(
            java.util.UUID.fromString("00000000-0000-0000-0000-00000000000a"),
            java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"),
            "default",
            "ci",
            "rf_abcdefgh",
            List.of(ApiScope.SUBMIT, ApiScope.READ),
            java.time.Instant.parse("2026-12-01T19:55:05Z"),
            null,
            null,
            null);
    assertThat(JSON.readTree(JSON.writeValueAsString(created)).has("key")).isFalse();
    created = created.withKey("rf_secret");
    JsonNode json = JSON.readTree(JSON.writeValueAsString(created));
    assertThat(json.get("scopes").toString()).isEqualTo("[\"submit\",\"read\"]");
    assertThat(json.get("key").textValue()).isEqualTo("rf_secret");
    assertThat(JSON.readValue(JSON.writeValueAsString(created), ApiKeyView.class))
        .isEqualTo(created);
  }

  @Test
  void lastPageHasNoNextField() throws Exception {
    assertThat(JSON.writeValueAsString(new RenderPage(List.of(), null)))
        .isEqualTo("{\"items\":[]}");
    assertThat(
            JSON.readTree(
                    JSON.writeValueAsString(new RenderPage(List.of(), "2026-12-01T19:55:05Z")))
                .get("next")
                .textValue())
        .isEqualTo("2026-12-01T19:55:05Z");
  }

  @Test
  void submissionSendsOnlyTheFieldsItSets() throws Exception {
    assertThat(JSON.writeValueAsString(RenderSubmission.builder("a red ball").build()))
        .isEqualTo("{\"prompt\":\"a red ball\"}");
    var full =
        RenderSubmission.builder("p")
            .negativePrompt("n")
            .durationSeconds(8.0)
            .preset("shorts")
            .seed(7L)
            .steps(12)
            .guidanceScale(2.5)
            .priority(3)
            .mode(RenderMode.SEQUENTIAL)
            .build();
    assertThat(JSON.readTree(JSON.writeValueAsString(full)))
        .isEqualTo(
            JSON.readTree(
                "{\"prompt\":\"p\",\"negativePrompt\":\"n\",\"durationSeconds\":8.0,\"preset\":\"shorts\",\"seed\":7,\"steps\":12,"
                    + "\"guidanceScale\":2.5,\"priority\":3,\"mode\":\"sequential\"}"));
  }

  @Test
  void acceptedBodyIsIdStatusAndLinks() throws Exception {
    String self = "/api/v1/renders/" + JOB;
    var accepted =
        new RenderAccepted(
            JOB,
            JobStatus.QUEUED,
            new RenderAccepted.Links(self, self + "/video", self + "/events"));
    assertThat(JSON.readTree(JSON.writeValueAsString(accepted)))
        .isEqualTo(
            JSON.readTree(
                "{\"id\":\""
                    + JOB
                    + "\",\"status\":\"QUEUED\",\"links\":{\"self\":\""
                    + self
                    + "\",\"video\":\""
                    + self
                    + "/video\",\"events\":\""
                    + self
                    + "/events\"}}"));
  }

  @Test
  void modesAreFoundByIdInAnyCase() {
    assertThat(RenderMode.find(" Anchored ")).contains(RenderMode.ANCHORED);
    assertThat(RenderMode.find("parallel")).isEmpty();
  }

  @Test
  void openJobStatesAreExactlyTheNonFinalOnes() {
    for (JobStatus s : JobStatus.values())
      assertThat(JobStatus.OPEN.contains(s)).isNotEqualTo(s.isFinal());
    assertThat(JobStatus.OPEN)
        .containsExactlyInAnyOrder(
            JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.AWAITING_APPROVAL, JobStatus.ENCODING);
  }

  @Test
  void webhookDeliveriesWriteEventsByTheirDottedIdAndReadBack() throws Exception {
    Instant at = Instant.parse("2026-12-01T19:55:05Z");
    var delivery =
        new WebhookDeliveryView(
            "msg_1",
            JOB,
            null,
            null,
            "https://hooks.example.com/x",
            WebhookEvent.RENDER_SUCCEEDED,
            WebhookDeliveryStatus.DELIVERED,
            at,
            null,
            at,
            List.of(new WebhookDeliveryView.Attempt(1, at, 12, 500, "HTTP 500")));

    String json = JSON.writeValueAsString(delivery);

    assertThat(json)
        .contains("\"event\":\"render.succeeded\"")
        .contains("\"status\":\"DELIVERED\"")
        .doesNotContain("endpointId")
        .doesNotContain("batchId")
        .doesNotContain("nextAttemptAt");
    assertThat(JSON.readValue(json, WebhookDeliveryView.class)).isEqualTo(delivery);
  }
}
