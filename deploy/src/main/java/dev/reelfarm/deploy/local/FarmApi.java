package dev.reelfarm.deploy.local;

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
import java.time.Duration;

/** The orchestrator's REST API as the CLI's commands use it (ARCHITECTURE.md §6). */
public final class FarmApi {

  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public FarmApi(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  public URI base() {
    return base;
  }

  /** POST /api/v1/renders; returns the 202 body ({@code id, status, links}). */
  public JsonNode submit(ObjectNode request) throws IOException, InterruptedException {
    var req =
        HttpRequest.newBuilder(uri("/api/v1/renders"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
            .build();
    return expectJson(send(req), 202, 201, 200);
  }

  /** GET /api/v1/renders/{id}. */
  public JsonNode job(String id) throws IOException, InterruptedException {
    return expectJson(send(get("/api/v1/renders/" + encode(id))), 200);
  }

  /** GET /api/v1/renders?limit=n, newest first. */
  JsonNode jobs(int limit) throws IOException, InterruptedException {
    return expectJson(send(get("/api/v1/renders?limit=" + limit)), 200);
  }

  /** GET /api/v1/renders/{id}/video into {@code out} (written to a temporary file, then moved). */
  public long downloadVideo(String id, Path out) throws IOException, InterruptedException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".reelfarm-download-", ".mp4");
    try {
      var req =
          HttpRequest.newBuilder(uri("/api/v1/renders/" + encode(id) + "/video"))
              .timeout(Duration.ofMinutes(5))
              .GET()
              .build();
      HttpResponse<Path> response;
      try {
        response =
            http.send(
                req,
                HttpResponse.BodyHandlers.ofFile(
                    tmp,
                    java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING));
      } catch (ConnectException e) {
        throw unreachable(e);
      }
      if (response.statusCode() != 200) {
        throw new ApiException(response.statusCode(), Files.readString(tmp), "GET video");
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(out);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json")
        .GET()
        .build();
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

  private static JsonNode expectJson(HttpResponse<String> response, int... ok) throws IOException {
    for (int code : ok) {
      if (response.statusCode() == code) return JSON.readTree(response.body());
    }
    throw new ApiException(
        response.statusCode(), response.body(), response.request().method() + " " + response.uri());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A non-success HTTP answer; {@link #describe()} extracts the API's error message. */
  public static final class ApiException extends IOException {
    private final int status;
    private final String body;

    ApiException(int status, String body, String what) {
      super(what + " answered HTTP " + status + ": " + abbreviate(body));
      this.status = status;
      this.body = body;
    }

    public int status() {
      return status;
    }

    /** The API's error text: {@code field: message} for a 400 where the body says so. */
    public String describe() {
      try {
        JsonNode node = JSON.readTree(body);
        for (String list : new String[] {"violations", "errors"}) {
          JsonNode items = node == null ? null : node.get(list);
          if (items != null && items.isArray() && items.size() > 0) {
            var sb = new StringBuilder();
            for (JsonNode item : items) {
              if (sb.length() > 0) sb.append("; ");
              String f = text(item, "field");
              String m = item.isValueNode() ? item.asText() : text(item, "message");
              sb.append(f != null ? f + ": " : "").append(m != null ? m : item.toString());
            }
            return sb.toString();
          }
        }
        String field = text(node, "field");
        String message = text(node, "message");
        if (message == null) message = text(node, "error");
        if (message == null) message = text(node, "detail");
        if (message == null) message = text(node, "title");
        if (message != null) return field != null ? field + ": " + message : message;
      } catch (IOException | RuntimeException e) {
        // not JSON: the raw body below
      }
      return "HTTP " + status + ": " + abbreviate(body);
    }

    private static String text(JsonNode node, String field) {
      JsonNode v = node == null ? null : node.get(field);
      return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    private static String abbreviate(String s) {
      if (s == null) return "";
      s = s.strip();
      return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }
  }
}
