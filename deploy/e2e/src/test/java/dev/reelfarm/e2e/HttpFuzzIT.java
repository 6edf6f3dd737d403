package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.e2e.FuzzRequests.FuzzRequest;
import dev.reelfarm.launcher.LocalFarm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 seeded hostile requests ({@link FuzzRequests}) against a real farm's orchestrator on
 * 127.0.0.1: not one is answered with a 5xx, none hangs, every 4xx the API answers is a JSON error
 * body, and only the requests answered 202 created a job. {@code -Dfuzz.seed=N} replays a run,
 * {@code -Dfuzz.count=N} changes its size.
 */
@Timeout(600)
class HttpFuzzIT {
  private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
  private static final int COUNT = Integer.getInteger("fuzz.count", 1000);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
  private static final java.util.Set<Integer> CODEC_ERRORS = java.util.Set.of(-1, 414, 431);
  private static final Duration FUZZ_BUDGET = Duration.ofMinutes(6);

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** What came back: a status (or -1 when the connection closed unanswered) and the body. */
  record Answer(int status, String contentType, byte[] body) {}

  @BeforeAll
  static void start() {
    farm = FarmClient.testFarm(tmp.resolve("farm")).workers(1).start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void hostileRequestsGetA4xxNeverA5xxNorAHangAndOnlyAcceptedOnesCreateJobs() throws Exception {
    String done =
        client.submit("{\"prompt\":\"fuzz target\",\"durationSeconds\":1,\"steps\":1,\"seed\":1}");
    assertThat(client.awaitFinal(done, Duration.ofSeconds(180)).get("status").asText())
        .isEqualTo("SUCCEEDED");
    System.out.printf("fuzz seed %d (-Dfuzz.seed=%d replays it), %d requests%n", SEED, SEED, COUNT);
    List<FuzzRequest> requests = new FuzzRequests(SEED, done).generate(COUNT);
    long jobsBefore = client.count("SELECT count(*) FROM render_job");

    Map<Integer, Integer> histogram = new TreeMap<>();
    Map<String, Map<Integer, Integer>> byKind = new TreeMap<>();
    List<String> serverErrors = new ArrayList<>();
    List<String> hangs = new ArrayList<>();
    List<String> notJson = new ArrayList<>();
    int accepted = 0;
    int sent = 0;
    String previous = "nothing";
    long t0 = System.nanoTime();
    for (FuzzRequest request : requests) {
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(FUZZ_BUDGET);
      Answer answer;
      long started = System.nanoTime();
      try {
        answer = request.raw() != null ? sendRaw(request.raw()) : send(request);
      } catch (HttpTimeoutException | SocketTimeoutException e) {
        hangs.add("#" + sent + " " + request.describe() + " (after " + previous + ")");
        previous = "hang";
        sent++;
        continue;
      }
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (ms > 3000) System.out.printf("  slow (%d ms): %s%n", ms, request.describe());
      if (++sent % 100 == 0)
        System.out.printf("  %d requests, %d s%n", sent, (System.nanoTime() - t0) / 1_000_000_000);
      if (answer.status() == -1)
        System.out.printf(
            "  #%d closed unanswered: %s (after %s)%n", sent - 1, request.describe(), previous);
      previous = answer.status() + " " + request.describe();
      histogram.merge(answer.status(), 1, Integer::sum);
      byKind
          .computeIfAbsent(request.kind(), k -> new TreeMap<>())
          .merge(answer.status(), 1, Integer::sum);
      if (answer.status() == 202) {
        accepted++;
        cancel(answer); // keeps the farm idle: the fuzz is about the API, not about rendering
      }
      if (answer.status() >= 500)
        serverErrors.add(answer.status() + " " + request.describe() + " -> " + text(answer));
      if (answer.status() >= 400 && request.raw() == null && !isErrorBody(answer, request))
        notJson.add(answer.status() + " " + request.describe() + " -> " + text(answer));
    }
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
    long jobsAfter = client.count("SELECT count(*) FROM render_job");

    System.out.printf(
        "fuzz: %d requests in %d s; status histogram %s%n", COUNT, seconds, histogram);
    byKind.forEach((kind, statuses) -> System.out.printf("  %-15s %s%n", kind, statuses));
    System.out.printf("  202s %d, render_job rows %d -> %d%n", accepted, jobsBefore, jobsAfter);
    notJson.forEach(s -> System.out.println("  4xx without a JSON error body: " + s));
    assertThat(serverErrors).as("answers >= 500").isEmpty();
    assertThat(hangs).as("requests unanswered after %s", ANSWER_TIMEOUT).isEmpty();
    assertThat(jobsAfter - jobsBefore).as("jobs created = requests accepted").isEqualTo(accepted);
    assertThat(notJson).as("API 4xx answers without a JSON ErrorBody").isEmpty();
    assertThat(client.get("/q/health").status()).as("still healthy").isEqualTo(200);
  }

  /**
   * An API 4xx carries {@code {error, field?, message}}; answers to HEAD have no body, and the HTTP
   * codec answers a request line or a header block over its limit itself, before any route runs
   * ({@link #CODEC_ERRORS}; -1 is a connection closed unanswered).
   */
  private static boolean isErrorBody(Answer answer, FuzzRequest request) {
    if ("HEAD".equals(request.method()) || CODEC_ERRORS.contains(answer.status())) return true;
    if (answer.status() == 400 && !isUri(request.path()))
      return true; // Quarkus refuses a request URI that java.net.URI rejects before any route

    try {
      JsonNode body = FarmClient.JSON.readTree(answer.body());
      return answer.contentType().startsWith("application/json") && body.hasNonNull("error");
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isUri(String path) {
    try {
      new URI(path);
      return true;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static Answer send(FuzzRequest request) throws Exception {
    HttpRequest.BodyPublisher body =
        request.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body());
    URI uri;
    try {
      uri = URI.create(farm.apiBase().toString().replaceAll("/$", "") + request.path());
    } catch (IllegalArgumentException notAUri) { // e.g. %ZZ: the JDK client cannot send it
      String line =
          request.method() + " " + request.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      return sendRaw(line.getBytes(StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).method(request.method(), body);
    request.headers().forEach(b::header);
    if (request.headers().keySet().stream().noneMatch("Authorization"::equalsIgnoreCase))
      b.header("Authorization", "Bearer " + farm.adminKey());
    // The request timeout ends at the answer's headers; a body that never ends (a stream) is
    // bounded here too.
    var answer =
        HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
            .orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    try {
      HttpResponse<byte[]> r = answer.get();
      return new Answer(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException || e.getCause() instanceof HttpTimeoutException)
        throw new HttpTimeoutException("no complete answer within " + ANSWER_TIMEOUT);
      // The server closed the connection (e.g. after answering 413 to a body it will not read).
      return new Answer(-1, "", e.getCause().toString().getBytes(StandardCharsets.UTF_8));
    } finally {
      answer.cancel(true);
    }
  }

  private static void cancel(Answer accepted) throws Exception {
    String id = FarmClient.JSON.readTree(accepted.body()).get("id").asText();
    HTTP.send(
        client
            .authorized(
                HttpRequest.newBuilder(farm.apiBase().resolve("/api/v1/renders/" + id)).DELETE())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** Sends bytes as they are and reads the answer (status -1: closed unanswered). */
  private static Answer sendRaw(byte[] bytes) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), farm.httpPort())) {
      socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException closedEarly) {
        // the server may answer and close before it has read everything
      }
      InputStream in = socket.getInputStream();
      try {
        String[] status = readLine(in).split(" ");
        if (status.length < 2 || !status[0].startsWith("HTTP/"))
          return new Answer(-1, "", new byte[0]);
        String type = "";
        int length = 0;
        for (String header; !(header = readLine(in)).isEmpty(); ) {
          String lower = header.toLowerCase(java.util.Locale.ROOT);
          if (lower.startsWith("content-type:")) type = header.substring(13).trim();
          if (lower.startsWith("content-length:"))
            length = Integer.parseInt(header.substring(15).trim());
        }
        return new Answer(Integer.parseInt(status[1]), type, in.readNBytes(length));
      } catch (SocketTimeoutException hang) {
        throw hang;
      } catch (IOException reset) {
        return new Answer(-1, "", new byte[0]);
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    var line = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\n'; ) if (c != '\r') line.append((char) c);
    return line.toString();
  }

  private static String text(Answer answer) {
    String s = new String(answer.body(), StandardCharsets.UTF_8);
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
