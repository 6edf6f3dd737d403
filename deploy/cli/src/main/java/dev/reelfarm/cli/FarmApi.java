package dev.reelfarm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.eval.RenderFarm;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.RenderPage;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.api.RenderView;
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
import java.util.UUID;

/**
 * The orchestrator's REST API as the CLI's commands use it (ARCHITECTURE.md §6), in the shared
 * contract types of {@code dev.reelfarm.schema.api}.
 */
public final class FarmApi implements RenderFarm {

  static final ObjectMapper JSON = ApiJson.mapper();

  /** The environment variable of the API key (for a farm other than the local one). */
  static final String KEY_ENV = "REELFARM_API_KEY";

  private final URI base;
  private final String key;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A client of the API at {@code base} that sends {@code key} (null: none). */
  public FarmApi(URI base, String key) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.key = key;
  }

  /** A client of a local farm this process started, with its admin key. */
  public static FarmApi of(LocalFarm farm) {
    return new FarmApi(farm.apiBase(), farm.adminKey());
  }

  /**
   * A client of a farm that is up at {@code base}: the key is $REELFARM_API_KEY, else the admin key
   * of the local farm directory {@code dir} (default .reelfarm), else none.
   */
  public static FarmApi forRunningFarm(URI base, Path dir) {
    String env = System.getenv(KEY_ENV);
    if (env != null && !env.isBlank()) return new FarmApi(base, env.strip());
    Path farmDir = dir;
    if (farmDir == null) {
      try {
        farmDir = RepoLayout.locate().defaultFarmDir();
      } catch (RuntimeException notACheckout) {
        return new FarmApi(base, null);
      }
    }
    return new FarmApi(base, LocalFarm.adminKeyIn(farmDir).orElse(null));
  }

  public URI base() {
    return base;
  }

  @Override
  public String address() {
    return base.toString();
  }

  /**
   * POST /api/v1/renders; returns the 202 body.
   *
   * @throws RenderFarm.Rejected on a 400, with the API's reason
   */
  @Override
  public RenderAccepted submit(RenderSubmission submission)
      throws IOException, InterruptedException {
    var req =
        request(uri("/api/v1/renders"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(submission)))
            .build();
    HttpResponse<String> response = send(req);
    if (response.statusCode() == 400) {
      throw new RenderFarm.Rejected(new ApiException(400, response.body(), "POST").describe());
    }
    return JSON.readValue(expect(response, 202, 201, 200), RenderAccepted.class);
  }

  /** GET /api/v1/renders/{id}. */
  @Override
  public RenderView job(UUID id) throws IOException, InterruptedException {
    return job(id.toString());
  }

  /** GET /api/v1/renders/{id} of an id as a user typed it (a 404 if it is no job's). */
  public RenderView job(String id) throws IOException, InterruptedException {
    return JSON.readValue(getJson(jobPath(id)), RenderView.class);
  }

  /** GET /api/v1/renders?limit=n, newest first. */
  RenderPage jobs(int limit) throws IOException, InterruptedException {
    return JSON.readValue(getJson(jobsPath(limit)), RenderPage.class);
  }

  /** The JSON of {@link #job(String)} as the API wrote it. */
  JsonNode jobJson(String id) throws IOException, InterruptedException {
    return JSON.readTree(getJson(jobPath(id)));
  }

  /** The JSON of {@link #jobs(int)} as the API wrote it. */
  JsonNode jobsJson(int limit) throws IOException, InterruptedException {
    return JSON.readTree(getJson(jobsPath(limit)));
  }

  private static String jobPath(String id) {
    return "/api/v1/renders/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  private static String jobsPath(int limit) {
    return "/api/v1/renders?limit=" + limit;
  }

  /** GET /api/v1/renders/{id}/video into {@code out} (written to a temporary file, then moved). */
  @Override
  public long downloadVideo(UUID id, Path out) throws IOException, InterruptedException {
    return downloadVideo(id.toString(), out);
  }

  /** As {@link #downloadVideo(UUID, Path)}, for an id as a user typed it. */
  public long downloadVideo(String id, Path out) throws IOException, InterruptedException {
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".reelfarm-download-", ".mp4");
    try {
      var req = request(uri(jobPath(id) + "/video")).timeout(Duration.ofMinutes(5)).GET().build();
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
        throw new ApiException(response.statusCode(), Files.readString(tmp), "GET video");
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(out);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * {@code method path} with {@code body} as JSON (null: none); the answer's JSON when its status
   * is one of {@code ok}.
   */
  JsonNode call(String method, String path, Object body, int... ok)
      throws IOException, InterruptedException {
    var req =
        request(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    return JSON.readTree(expect(send(req), ok));
  }

  private String getJson(String path) throws IOException, InterruptedException {
    var req =
        request(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json")
            .GET()
            .build();
    return expect(send(req), 200);
  }

  /** A request to {@code uri} with this client's API key. */
  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    return key == null ? b : b.header("Authorization", "Bearer " + key);
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

  private static String expect(HttpResponse<String> response, int... ok) throws ApiException {
    for (int code : ok) {
      if (response.statusCode() == code) return response.body();
    }
    throw new ApiException(
        response.statusCode(), response.body(), response.request().method() + " " + response.uri());
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

    /** The API's error text ({@link ErrorBody}): {@code field: message} where it names a field. */
    public String describe() {
      try {
        ErrorBody error = JSON.readValue(body, ErrorBody.class);
        String message = error.message() != null ? error.message() : error.error();
        // the farm's messages already start with the field they name
        if (message != null)
          return error.field() == null || message.startsWith(error.field() + ":")
              ? message
              : error.field() + ": " + message;
      } catch (IOException | RuntimeException e) {
        // not an error body: the raw body below
      }
      return "HTTP " + status + ": " + abbreviate(body);
    }

    private static String abbreviate(String s) {
      if (s == null) return "";
      s = s.strip();
      return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }
  }
}
