package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.KafkaClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two orchestrator replicas on one PostgreSQL and Kafka: jobs are submitted to both, the leader's
 * relay and dispatcher place them, either replica serves each job's event stream. Every job
 * succeeds, its SSE ids are 1..n on the replica that did not take the submission, the in-flight
 * bound holds, and no chunk is dispatched twice (the task topic, read back from the start, holds
 * exactly one task per chunk).
 */
@Timeout(420)
class TwoOrchestratorsIT {
  private static final int JOBS = 20;
  private static final int MAX_IN_FLIGHT = 3;

  @TempDir static Path tmp;
  static LocalFarm farm;

  @BeforeAll
  static void start() {
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .orchestrators(2)
            .orchestratorProperty(
                "reelfarm.dispatch.max-in-flight", Integer.toString(MAX_IN_FLIGHT))
            .start();
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void twentyJobsOverTwoReplicasSucceedGapFreeWithoutDoubleDispatch() throws Exception {
    List<FarmClient> replicas =
        farm.apiBases().stream().map(api -> new FarmClient(farm, api)).toList();
    assertThat(replicas).hasSize(2);

    var maxSeenInFlight = new AtomicInteger();
    Thread sampler =
        new Thread(() -> sampleInFlight(replicas.get(0), maxSeenInFlight), "in-flight-sampler");
    sampler.setDaemon(true);
    sampler.start();
    List<String> jobs = new ArrayList<>();
    Map<String, Integer> submittedTo = new HashMap<>();
    for (int i = 0; i < JOBS; i++) {
      int replica = i % 2;
      String id =
          replicas
              .get(replica)
              .submit(
                  "{\"prompt\":\"a red circle moving right\",\"durationSeconds\":1,\"steps\":2,\"seed\":"
                      + (100 + i)
                      + "}");
      jobs.add(id);
      submittedTo.put(id, replica);
    }

    Instant start = Instant.now();
    for (String id : jobs) {
      JsonNode done = replicas.get(0).awaitFinal(id, Duration.ofSeconds(300));
      assertThat(done.get("status").asText()).as("%s", done).isEqualTo("SUCCEEDED");
    }
    sampler.interrupt();
    System.out.printf(
        "two orchestrators: %d jobs succeeded in %d ms after the last submit; max in flight seen %d"
            + " (bound %d)%n",
        JOBS,
        Duration.between(start, Instant.now()).toMillis(),
        maxSeenInFlight.get(),
        MAX_IN_FLIGHT);

    for (String id : jobs) {
      URI otherReplica =
          farm.apiBases().get(1 - submittedTo.get(id)).resolve("/api/v1/renders/" + id + "/events");
      List<SseClient.Event> events =
          SseClient.read(
              otherReplica,
              farm.adminKey(),
              null,
              e -> e.type().equals("succeeded"),
              Duration.ofSeconds(30));
      assertThat(events.stream().map(SseClient.Event::id).toList())
          .as("event ids of %s read from the other replica", id)
          .isEqualTo(IntStream.rangeClosed(1, events.size()).mapToObj(Integer::toString).toList());
    }

    Map<Long, Integer> tasksPerChunk = tasksPerChunk();
    long chunks =
        replicas.get(0).count("SELECT count(*) FROM chunk WHERE job_id IN (" + quoted(jobs) + ")");
    assertThat(tasksPerChunk)
        .as("one task per chunk on %s", Topics.CHUNK_TASKS.name())
        .hasSize((int) chunks);
    assertThat(tasksPerChunk.values()).as("tasks per chunk").containsOnly(1);
    assertThat(maxSeenInFlight.get())
        .as("chunks dispatched or running at once")
        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
  }

  private static void sampleInFlight(FarmClient client, AtomicInteger max) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        long n =
            client.count("SELECT count(*) FROM chunk WHERE status IN ('DISPATCHED','RUNNING')");
        max.accumulateAndGet((int) n, Math::max);
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // a sample lost to a busy database says nothing about the bound
      }
    }
  }

  /** Every chunk task ever published, read from the start of the topic by a fresh group. */
  private static Map<Long, Integer> tasksPerChunk() {
    Map<Long, Integer> counts = new HashMap<>();
    Properties props =
        new KafkaClients(farm.bootstrap()).consumer("audit", "two-orchestrators-it-audit");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer = new KafkaConsumer<String, byte[]>(props)) {
      consumer.subscribe(List.of(Topics.CHUNK_TASKS.name()));
      Instant deadline = Instant.now().plusSeconds(20);
      Instant quietSince = Instant.now();
      while (Instant.now().isBefore(deadline)
          && Duration.between(quietSince, Instant.now()).toSeconds() < 3) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          ChunkTask task = Topics.CHUNK_TASKS.decode(r.value());
          counts.merge(task.chunkId(), 1, Integer::sum);
          quietSince = Instant.now();
        }
      }
    }
    return counts;
  }

  private static String quoted(List<String> ids) {
    return String.join(",", ids.stream().map(id -> "'" + id + "'::uuid").toList());
  }
}
