package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.KafkaClients;
import dev.reelfarm.testing.ConsumerGroups;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** What an end-to-end test needs of a running farm: its HTTP API, its database and its broker. */
final class FarmClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private final LocalFarm farm;
  private final URI api;
  private final String key;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FarmClient(LocalFarm farm) {
    this(farm, farm.apiBase());
  }

  /** A client of one orchestrator replica's API at {@code api}. */
  FarmClient(LocalFarm farm, URI api) {
    this(farm, api, farm.adminKey());
  }

  /** A client of {@code api} that sends the API key {@code key} (null: none). */
  FarmClient(LocalFarm farm, URI api, String key) {
    this.farm = farm;
    this.api = api;
    this.key = key;
  }

  /** The same farm with another API key (null: none). */
  FarmClient as(String key) {
    return new FarmClient(farm, api, key);
  }

  record Reply(int status, JsonNode body, HttpResponse<byte[]> raw) {}

  /**
   * The farm the end-to-end tests run: two single-thread workers on the tiny random-weight fixture
   * bundle, which is real ONNX Runtime but fast, so the tests exercise the farm and not the default
   * model's quality (the eval does that).
   *
   * <p>Its services run with C1 only and the serial collector, as the embedded Kafka and S3Proxy
   * do: a test farm lives for a minute or two on two cores, where C2's compile threads and G1's
   * concurrent threads compete with the work they would speed up (start-up 14.5–16.3 s against
   * 16.7–23.8 s, 7–22 % less CPU per class; docs/decisions.md).
   */
  private static final String[] SHORT_LIVED_JVM = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"};

  static FarmConfig testFarm(Path dir) {
    return LocalFarm.builder()
        .dir(dir)
        .useEnvironment(false)
        .workers(2)
        .workerThreads(1)
        .modelBundle(RepoLayout.locate().root().resolve(RepoLayout.FIXTURE_BUNDLE))
        .serviceJvmArgs(SHORT_LIVED_JVM);
  }

  Reply post(String path, String body) throws Exception {
    return post(path, body, Map.of());
  }

  Reply post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request);
  }

  Reply patch(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply put(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply delete(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = authorized(HttpRequest.newBuilder(uri(path)).GET());
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<Path> download(String path, Path to) throws Exception {
    return http.send(
        authorized(HttpRequest.newBuilder(uri(path)).GET()).build(),
        HttpResponse.BodyHandlers.ofFile(to));
  }

  /** {@code request} with this client's API key. */
  HttpRequest.Builder authorized(HttpRequest.Builder request) {
    return key == null ? request : request.header("Authorization", "Bearer " + key);
  }

  /** Submits a render and returns its id. */
  String submit(String json) throws Exception {
    Reply r = post("/api/v1/renders", json);
    assertThat(r.status()).as("submit: %s", r.body()).isEqualTo(202);
    return r.body().get("id").asText();
  }

  /**
   * Polls a job until it is in a final state; a 503 (the database down, in a fault test) is polled
   * through. Fails on timeout with the job's last view.
   */
  JsonNode awaitFinal(String id, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = null;
    while (Instant.now().isBefore(deadline)) {
      Reply reply = get("/api/v1/renders/" + id);
      job = reply.body();
      if (reply.status() != 503) {
        assertThat(reply.status()).as("render %s: %s", id, job).isEqualTo(200);
        if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").asText()))
          return job;
      }
      Thread.sleep(200);
    }
    throw new TimeoutException("render " + id + " not finished after " + timeout + ": " + job);
  }

  /**
   * Polls {@code probe} every 100 ms until it returns non-null; fails naming {@code what} on
   * timeout.
   */
  static <T> T awaitValue(String what, Duration timeout, java.util.concurrent.Callable<T> probe)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      T value = probe.call();
      if (value != null) return value;
      Thread.sleep(100);
    }
    throw new TimeoutException(what + ": not within " + timeout);
  }

  Connection db() throws SQLException {
    return DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
  }

  long count(String sql) throws SQLException {
    try (Connection c = db();
        var s = c.createStatement();
        var r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Waits until a consumer group has consumed everything produced to a topic so far. */
  void awaitConsumed(String group, String topic, Duration timeout) throws Exception {
    ConsumerGroups.awaitConsumed(farm.bootstrap(), group, topic, timeout);
  }

  /** Publishes a chunk event as a worker would (e.g. a late result). */
  void publish(ChunkEvent event) throws Exception {
    try (var producer = new KafkaClients(farm.bootstrap()).newProducer("e2e-client")) {
      Topics.CHUNK_EVENTS.send(producer, event.jobId().toString(), event).get();
    }
  }

  private Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            authorized(request).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode body;
    try {
      body = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
    } catch (java.io.IOException notJson) {
      body =
          JSON.getNodeFactory()
              .textNode(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return new Reply(r.statusCode(), body, r);
  }

  private URI uri(String path) {
    return api.resolve(path);
  }
}
