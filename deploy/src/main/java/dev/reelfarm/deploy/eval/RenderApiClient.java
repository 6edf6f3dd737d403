package dev.reelfarm.deploy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The three calls of the orchestrator's REST API the eval needs: submit, poll, download. (The CLI's
 * own client in {@code deploy.local} is package-private.)
 */
final class RenderApiClient {

  /**
   * A submit or a poll waits this long for its answer; a busy 2-core machine answers in well under.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** A clip at 1080×1920 is a few MB from localhost. */
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

  private final ObjectMapper json;
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RenderApiClient(URI base, ObjectMapper json) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.json = json;
  }

  URI base() {
    return base;
  }

  /** POST /api/v1/renders; the 202 body ({@code id, status, links}). */
  JsonNode submit(ObjectNode request) throws IOException, InterruptedException {
    var req =
        HttpRequest.newBuilder(uri("/api/v1/renders"))
            .timeout(CALL_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)))
            .build();
    return expectJson(send(req), "POST /api/v1/renders", 202, 201, 200);
  }

  /** GET /api/v1/renders/{id}. */
  JsonNode job(String id) throws IOException, InterruptedException {
    var req =
        HttpRequest.newBuilder(uri("/api/v1/renders/" + encode(id)))
            .timeout(CALL_TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    return expectJson(send(req), "GET /api/v1/renders/" + id, 200);
  }

  /** GET /api/v1/renders/{id}/video into {@code out}, through a temporary file. */
  void downloadVideo(String id, Path out) throws IOException, InterruptedException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".eval-download-", ".mp4");
    try {
      var req =
          HttpRequest.newBuilder(uri("/api/v1/renders/" + encode(id) + "/video"))
              .timeout(DOWNLOAD_TIMEOUT)
              .GET()
              .build();
      HttpResponse<Path> response;
      try {
        response =
            http.send(
                req,
                HttpResponse.BodyHandlers.ofFile(
                    tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
      } catch (ConnectException e) {
        throw unreachable(e);
      }
      if (response.statusCode() != 200) {
        throw new ApiException(
            response.statusCode(), Files.readString(tmp), "GET /api/v1/renders/" + id + "/video");
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private HttpResponse<String> send(HttpRequest req) throws IOException, InterruptedException {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw unreachable(e);
    }
  }

  private ConnectException unreachable(ConnectException cause) {
    var e = new ConnectException("no Reelfarm API answers at " + base + " (is the farm up?)");
    e.initCause(cause);
    return e;
  }

  private JsonNode expectJson(HttpResponse<String> response, String what, int... ok)
      throws IOException {
    for (int code : ok) {
      if (response.statusCode() == code) return json.readTree(response.body());
    }
    throw new ApiException(response.statusCode(), response.body(), what);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A non-success HTTP answer. */
  static final class ApiException extends IOException {
    private final int status;

    ApiException(int status, String body, String what) {
      super(what + " answered HTTP " + status + ": " + abbreviate(body));
      this.status = status;
    }

    int status() {
      return status;
    }

    private static String abbreviate(String s) {
      if (s == null) return "";
      s = s.strip();
      return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
  }
}
