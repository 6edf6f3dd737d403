package dev.reelfarm.schema.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch release = new CountDownLatch(1);
  private final BackgroundLoop loop =
      BackgroundLoop.of(
          "consumer-1",
          () -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          },
          release::countDown);
  private final HealthEndpoint health =
      HealthEndpoint.start(0, () -> List.of(HealthEndpoint.Check.of(loop)));

  @AfterEach
  void close() {
    loop.close();
    health.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRunningLoopIsUpOnEveryHealthPathInTheMicroProfileShape() throws Exception {
    loop.start();

    for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.get("status").asText()).isEqualTo("UP");
      JsonNode check = body.get("checks").get(0);
      assertThat(check.get("name").asText()).isEqualTo("consumer-1");
      assertThat(check.get("status").asText()).isEqualTo("UP");
      assertThat(check.get("data").get("running").asBoolean()).isTrue();
    }
  }

  @Test
  void aLoopNotStartedYetOrStoppedIsDownWith503AndUpWhileItRuns() throws Exception {
    assertThat(get("/q/health/ready").statusCode()).isEqualTo(503);

    loop.start();
    assertThat(get("/q/health/ready").statusCode()).isEqualTo(200);

    loop.close();
    HttpResponse<String> r = get("/q/health/live");
    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("checks").get(0).get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("checks").get(0).get("data").get("failed").asBoolean()).isFalse();
  }

  @Test
  void aFailedLoopSaysSo() throws Exception {
    BackgroundLoop failing =
        BackgroundLoop.of(
            "heartbeat-1",
            () -> {
              throw new IllegalStateException("broken");
            },
            () -> {});
    try (HealthEndpoint both =
        HealthEndpoint.start(
            0, () -> List.of(HealthEndpoint.Check.of(loop), HealthEndpoint.Check.of(failing)))) {
      loop.start();
      failing.start();
      assertThat(failing.join(Duration.ofSeconds(10))).isTrue();

      var report = both.report();
      assertThat(report.get("status")).isEqualTo("DOWN");
      assertThat(
              JSON.valueToTree(report).get("checks").get(1).get("data").get("failed").asBoolean())
          .isTrue();
      assertThat(JSON.valueToTree(report).get("checks").get(0).get("status").asText())
          .isEqualTo("UP");
    }
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    loop.start();
    assertThat(get("/q/healthz").statusCode()).isEqualTo(404);
    assertThat(get("/").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/q/health"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aServedDocumentIsAnsweredOnItsExactPathAlongsideTheHealth() throws Exception {
    int[] asked = {0};
    health.serve("/q/metrics", "text/plain; version=0.0.4", () -> "up " + ++asked[0] + "\n");

    HttpResponse<String> metrics = get("/q/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4");
    assertThat(metrics.body()).isEqualTo("up 1\n");
    assertThat(get("/q/metrics").body()).as("asked on every request").isEqualTo("up 2\n");
    assertThat(get("/q/metrics/x").statusCode()).isEqualTo(404);
    assertThat(get("/q/health/ready").statusCode()).as("the health still answers").isEqualTo(503);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + "/q/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
