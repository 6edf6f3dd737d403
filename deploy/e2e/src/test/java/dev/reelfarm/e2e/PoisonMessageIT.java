package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Null, non-JSON, {@code {}} and unknown-version records on every topic a service consumes, sent
 * with a plain producer to a running farm: every process stays up, every record is dead-lettered
 * (and listed by {@code GET /api/v1/dead-letters}), and a job submitted afterwards succeeds. It
 * runs on the {@link SharedFarm}: its dead letters are told apart by their record key, and the farm
 * has to go on rendering for the classes after it anyway.
 */
@Timeout(360)
class PoisonMessageIT {
  private static final String REQUEST =
      "{\"prompt\":\"a red circle on a blue background\",\"durationSeconds\":1,\"steps\":2}";

  /** Topics and the services that consume them: job control is read by every worker's group. */
  private static final Map<Topic<?>, Integer> CONSUMING_GROUPS =
      Map.of(
          Topics.CHUNK_TASKS, 1,
          Topics.JOB_CONTROL, 2,
          Topics.ENCODE_TASKS, 1,
          Topics.CHUNK_EVENTS, 1,
          Topics.JOB_EVENTS, 1,
          Topics.WORKER_HEARTBEATS, 1);

  static LocalFarm farm;
  static FarmClient client;

  @BeforeAll
  static void start() {
    farm = SharedFarm.farm();
    client = SharedFarm.client();
  }

  @Test
  void poisonOnEveryConsumedTopicIsDeadLetteredAndTheFarmKeepsRendering() throws Exception {
    // A first job: every consumer has joined its group (job control reads from "now") before the
    // poison comes.
    String before = client.submit(REQUEST);
    assertThat(client.awaitFinal(before, Duration.ofSeconds(120)).get("status").asText())
        .isEqualTo("SUCCEEDED");

    String key = "poison-" + UUID.randomUUID();
    try (var producer = new KafkaClients(farm.bootstrap()).newProducer("poison-test")) {
      for (Topic<?> topic : CONSUMING_GROUPS.keySet()) {
        for (byte[] value : poison(topic)) {
          producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
      }
    }

    Map<String, Integer> expected = new HashMap<>();
    CONSUMING_GROUPS.forEach((topic, groups) -> expected.put(topic.name(), 4 * groups));
    Map<String, Integer> listed = awaitDeadLetters(key, expected, Duration.ofSeconds(90));
    assertThat(listed).isEqualTo(expected);

    for (ServiceProcess service : farm.services()) {
      assertThat(service.isAlive()).as("%s is still running", service.name()).isTrue();
    }
    String after = client.submit(REQUEST);
    JsonNode job = client.awaitFinal(after, Duration.ofSeconds(120));
    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("SUCCEEDED");
    for (ServiceProcess service : farm.services()) {
      assertThat(service.isAlive()).as("%s is still running", service.name()).isTrue();
    }
  }

  /** Null, not JSON, {@code {}}, and a schema version no reader knows. */
  private static List<byte[]> poison(Topic<?> topic) {
    String type =
        topic == Topics.CHUNK_EVENTS
            ? "\"type\":\"STARTED\","
            : topic == Topics.JOB_EVENTS ? "\"type\":\"ENCODING\"," : "";
    return Arrays.asList(
        null,
        "not json".getBytes(StandardCharsets.UTF_8),
        "{}".getBytes(StandardCharsets.UTF_8),
        ("{" + type + "\"schemaVersion\":99,\"jobId\":\"" + UUID.randomUUID() + "\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Dead letters of {@code key} listed by the API, counted per source topic. */
  private static Map<String, Integer> awaitDeadLetters(
      String key, Map<String, Integer> expected, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    Map<String, Integer> counts = Map.of();
    while (Instant.now().isBefore(deadline)) {
      counts = new HashMap<>();
      String cursor = null;
      do {
        JsonNode page =
            client
                .get("/api/v1/dead-letters?limit=100" + (cursor == null ? "" : "&before=" + cursor))
                .body();
        for (JsonNode letter : page.get("items")) {
          if (key.equals(letter.path("key").asText())) {
            counts.merge(letter.get("sourceTopic").asText(), 1, Integer::sum);
          }
        }
        cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
      } while (cursor != null);
      if (counts.equals(expected)) return counts;
      Thread.sleep(500);
    }
    return counts;
  }
}
