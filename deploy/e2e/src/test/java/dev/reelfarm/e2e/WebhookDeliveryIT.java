package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reelfarm.launcher.LocalFarm;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks through a whole farm to a real HTTP receiver (the JDK's server) that checks every
 * signature with a verifier written from the Standard Webhooks spec: refused deliveries are retried
 * with the same webhook-id until one is accepted, exactly once; a delivery being retried when the
 * orchestrator is killed is delivered by the restarted one, once.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookDeliveryIT {
  /** The farm's secret for per-job webhooks (a test value: whsec_ + base64 of 24 bytes). */
  private static final String FARM_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8G";

  private static final Duration WAIT = Duration.ofSeconds(240);

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  static HttpServer receiver;

  /** One request the receiver got, and what it answered. */
  record Received(
      String path, String id, String timestamp, String type, boolean valid, int answered) {}

  static final List<Received> received = new CopyOnWriteArrayList<>();

  /** Per path: the secret to verify with, and whether to accept the n-th request (0-based). */
  static final Map<String, String> secrets = new ConcurrentHashMap<>();

  static final Map<String, Predicate<Integer>> accepts = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", WebhookDeliveryIT::receive);
    receiver.start();
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            // On the shared 2-core machine under load an encoder has needed over 300 s to start.
            .startupTimeout(Duration.ofMinutes(8))
            .orchestratorProperty("reelfarm.webhooks.secret", FARM_SECRET)
            .orchestratorProperty("reelfarm.webhooks.poll-ms", "200")
            .orchestratorProperty("reelfarm.webhooks.retry-first-ms", "300")
            .orchestratorProperty("reelfarm.webhooks.retry-max-seconds", "2")
            // The restart case keeps refusing for as long as an orchestrator restart takes.
            .orchestratorProperty("reelfarm.webhooks.max-attempts", "1000")
            .start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
    if (receiver != null) receiver.stop(0);
  }

  private static void receive(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    var headers = exchange.getRequestHeaders();
    boolean valid;
    String type;
    try {
      valid =
          new StandardWebhooksVerifier(secrets.get(path))
              .verify(
                  headers.getFirst("webhook-id"),
                  headers.getFirst("webhook-timestamp"),
                  headers.getFirst("webhook-signature"),
                  body);
      type = FarmClient.JSON.readTree(body).path("type").asText();
    } catch (Exception e) {
      valid = false;
      type = "unreadable: " + e;
    }
    int seen = (int) received.stream().filter(r -> r.path().equals(path)).count();
    int status = !valid ? 401 : accepts.get(path).test(seen) ? 200 : 500;
    received.add(
        new Received(
            path,
            headers.getFirst("webhook-id"),
            headers.getFirst("webhook-timestamp"),
            type,
            valid,
            status));
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  /** The delivery list of a render once its single delivery is DELIVERED. */
  private static JsonNode awaitDelivered(String job) throws Exception {
    return FarmClient.awaitValue(
        "delivery of " + job + " DELIVERED",
        WAIT,
        () -> {
          JsonNode items = client.get("/api/v1/renders/" + job + "/webhooks").body().get("items");
          return items.size() == 1 && items.get(0).get("status").asText().equals("DELIVERED")
              ? items.get(0)
              : null;
        });
  }

  @Test
  @Order(1)
  void aRefusedWebhookIsRetriedWithItsIdAndAcceptedExactlyOnce() throws Exception {
    secrets.put("/job", FARM_SECRET);
    accepts.put("/job", n -> n >= 2); // refuses the first two deliveries
    String job =
        client.submit(
            "{\"prompt\":\"a red circle moving right on a blue background\",\"durationSeconds\":1,"
                + "\"steps\":2,\"seed\":3,\"webhook\":\""
                + url("/job")
                + "\"}");

    assertThat(client.awaitFinal(job, WAIT).get("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode delivery = awaitDelivered(job);

    List<Received> calls = at("/job");
    assertThat(calls).hasSize(3).allMatch(Received::valid, "signature verifies");
    assertThat(calls).extracting(Received::answered).containsExactly(500, 500, 200);
    assertThat(calls).extracting(Received::id).containsOnly(delivery.get("id").asText());
    assertThat(calls).extracting(Received::type).containsOnly("render.succeeded");
    assertThat(delivery.get("attempts"))
        .extracting(a -> a.get("statusCode").asInt())
        .containsExactly(500, 500, 200);
    assertThat(delivery.get("attempts").get(0).get("error").asText()).isEqualTo("HTTP 500");
  }

  @Test
  @Order(2)
  void aWebhookUrlThatIsNotHttpIsRefusedAtSubmitNamingTheField() throws Exception {
    var reply =
        client.post("/api/v1/renders", "{\"prompt\":\"a red circle\",\"webhook\":\"ftp://x/y\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("field").asText()).isEqualTo("webhook");
  }

  @Test
  @Order(3)
  void aDeliveryBeingRetriedSurvivesAnOrchestratorRestartAndIsDeliveredOnce() throws Exception {
    var created =
        client.post(
            "/api/v1/webhooks",
            "{\"url\":\"" + url("/team") + "\",\"events\":[\"render.cancelled\"]}");
    assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
    secrets.put("/team", created.body().get("secret").asText());
    AtomicBoolean restarted = new AtomicBoolean();
    accepts.put("/team", n -> restarted.get()); // refuses until the orchestrator came back
    String job = client.submit("{\"prompt\":\"a blue square\",\"durationSeconds\":4,\"steps\":50}");
    assertThat(client.delete("/api/v1/renders/" + job).status()).isEqualTo(200);
    FarmClient.awaitValue("a refused attempt", WAIT, () -> at("/team").isEmpty() ? null : true);

    farm.orchestrator().killHard();
    int refusedBeforeKill = at("/team").size();
    farm.restart(farm.orchestrator());
    restarted.set(true);
    JsonNode delivery = awaitDelivered(job);

    List<Received> calls = at("/team");
    assertThat(refusedBeforeKill).isPositive();
    assertThat(calls).allMatch(Received::valid, "signature verifies with the endpoint's secret");
    assertThat(calls).extracting(Received::id).containsOnly(delivery.get("id").asText());
    assertThat(calls).extracting(Received::type).containsOnly("render.cancelled");
    assertThat(calls.stream().filter(r -> r.answered() == 200)).hasSize(1);
    assertThat(calls.get(calls.size() - 1).answered()).isEqualTo(200);
    JsonNode deliveries =
        client.get("/api/v1/webhooks/" + created.body().get("id").asText() + "/deliveries").body();
    assertThat(deliveries.get("items")).hasSize(1);
    System.out.printf(
        "WEBHOOK restart: %d attempts refused before the kill, %d in all, delivered once%n",
        refusedBeforeKill, calls.size());
  }
}
