package dev.reelfarm.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.encoder.messaging.EncodeTaskHandler;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.health.HealthEndpoint;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.DeadLetters;
import dev.reelfarm.schema.messaging.KafkaClients;
import io.smallrye.config.PropertiesConfigSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encoder's health over a real HTTP request: UP while its task consumer runs, DOWN (503) once
 * it stopped. No broker is needed: the consumer polls (and retries) an unreachable one.
 */
class EncoderHealthTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path artifacts;

  @Test
  void theEncoderIsUpWhileItsConsumerRunsAndDownOnceItStopped() throws Exception {
    EncoderConfig config =
        EncoderConfig.from(
            FarmConfig.build(
                FarmConfig.builder(EncoderConfig.class)
                    .withSources(
                        new PropertiesConfigSource(
                            Map.of("reelfarm.encoder.http-port", "0"), "test", 400))));
    KafkaClients kafka = new KafkaClients("127.0.0.1:1");
    try (DeadLetters deadLetters = DeadLetters.withOwnProducer(kafka, "enc-h", EncoderMain.GROUP)) {
      BackgroundLoop loop =
          EncoderMain.consumerLoop(
              kafka,
              "enc-h",
              config,
              new EncodeTaskHandler(new FileArtifactStore(artifacts), "enc-h", e -> {}),
              deadLetters);
      try (HealthEndpoint health = EncoderMain.health(config.httpPort(), loop)) {
        assertThat(get(health).statusCode()).as("not started").isEqualTo(503);

        loop.start();
        HttpResponse<String> up = get(health);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        JsonNode check = JSON.readTree(up.body()).get("checks").get(0);
        assertThat(check.get("name").asText()).isEqualTo("encoder-enc-h");
        assertThat(check.get("status").asText()).isEqualTo("UP");

        loop.close();
        HttpResponse<String> down = get(health);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).get("status").asText()).isEqualTo("DOWN");
      }
    }
  }

  private static HttpResponse<String> get(HealthEndpoint health) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/q/health"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
