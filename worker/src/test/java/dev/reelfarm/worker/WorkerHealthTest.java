package dev.reelfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.health.HealthEndpoint;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.KafkaClients;
import dev.reelfarm.worker.model.Fixtures;
import dev.reelfarm.worker.runtime.SimulatedChunkRenderer;
import io.smallrye.config.PropertiesConfigSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's health over a real HTTP request: UP while every loop of its node runs, DOWN (503)
 * once one stopped. No broker is needed: the loops run (and retry) against an unreachable one.
 */
class WorkerHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path artifactsDir;

  @Test
  void theWorkerIsUpWhileItsLoopsRunAndDownOnceOneStopped() throws Exception {
    WorkerConfig config =
        WorkerConfig.from(
            FarmConfig.build(
                FarmConfig.builder(WorkerConfig.class)
                    .withSources(
                        new PropertiesConfigSource(
                            Map.of("reelfarm.worker.http-port", "0"), "test", 400))));
    BundleManifest manifest = BundleManifest.read(Fixtures.bundle("tiny-random-bcfhw"));
    ArtifactStore artifacts = new FileArtifactStore(artifactsDir);
    try (WorkerNode node =
        new WorkerNode(
            config,
            new KafkaClients("127.0.0.1:1"),
            "worker-h",
            new SimulatedChunkRenderer(manifest, artifacts, 1),
            null,
            artifacts,
            BundleFacts.of(manifest, "sha256:00"),
            "SIMULATED",
            "host")) {
      HealthEndpoint health = WorkerMain.health(config.httpPort(), List.of(node));
      try (health) {
        assertThat(get(health, "/q/health/ready").statusCode()).as("not started").isEqualTo(503);

        node.start();
        HttpResponse<String> up = get(health, "/q/health/ready");
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        JsonNode checks = JSON.readTree(up.body()).get("checks");
        assertThat(checks.findValuesAsText("name"))
            .containsExactly("worker-worker-h", "cancellations-worker-h", "heartbeat-worker-h");

        BackgroundLoop heartbeat = node.loops().get(2);
        heartbeat.close();
        HttpResponse<String> down = get(health, "/q/health/live");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(down.body());
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("checks").get(0).get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks").get(2).get("status").asText()).isEqualTo("DOWN");
      }
    }
  }

  private static HttpResponse<String> get(HealthEndpoint health, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
