package dev.reelfarm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderAccepted;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderPage;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.presets.Interpolation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Stands in for the orchestrator, a worker or the encoder in the launcher's own tests, so they need
 * no other module. It proves the wiring for real: the fake orchestrator queries the PostgreSQL it
 * was given, a fake worker asks the Kafka it was given for the topics, each writes the system
 * properties it received to {@code <artifacts>/fake-<name>.properties}, and prints the same ready
 * lines as the real services. The fake orchestrator serves the render API, in the shared contract
 * types, with a scripted job: QUEUED, RUNNING two chunks, ENCODING, SUCCEEDED (or FAILED for a
 * prompt with "fail").
 *
 * <p>{@code -Dfake.exit=N} makes it exit with N during start-up.
 */
public final class FakeService {

  static final ObjectMapper JSON = ApiJson.mapper();
  static final byte[] VIDEO = "not really an mp4".getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    String role =
        System.getProperty("quarkus.http.port") != null
            ? "orchestrator"
            : System.getProperty("reelfarm.worker.id") != null
                ? System.getProperty("reelfarm.worker.id")
                : System.getProperty("reelfarm.encoder.id", "encoder");
    recordProperties(role);
    String exit = System.getProperty("fake.exit");
    if (exit != null) {
      System.out.println("fake " + role + ": told to fail with " + exit);
      System.exit(Integer.parseInt(exit));
    }
    if (role.equals("orchestrator")) {
      try (var c =
              DriverManager.getConnection(
                  System.getProperty("reelfarm.db.url"),
                  System.getProperty("reelfarm.db.user"),
                  System.getProperty("reelfarm.db.password"));
          var rs = c.createStatement().executeQuery("SELECT current_database()")) {
        rs.next();
        System.out.println("fake orchestrator: database " + rs.getString(1));
      }
      serveApi(Integer.parseInt(System.getProperty("quarkus.http.port")));
      System.out.println("fake orchestrator: listening");
    } else if (role.startsWith("worker")) {
      var props = new Properties();
      props.put(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          System.getProperty("reelfarm.kafka.bootstrap"));
      try (Admin admin = Admin.create(props)) {
        System.out.println(
            "fake " + role + ": topics " + admin.listTopics().names().get(30, TimeUnit.SECONDS));
      }
      System.out.println("worker ready: id=" + role);
    } else {
      System.out.println("encoder ready");
    }
    Thread.currentThread().join(); // until SIGTERM
  }

  private static void recordProperties(String role) throws IOException {
    var picked = new TreeMap<String, String>();
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("reelfarm.") || key.startsWith("quarkus.") || key.startsWith("fake.")) {
        picked.put(key, System.getProperty(key));
      }
    }
    var props = new Properties();
    props.putAll(picked);
    Path dir = Path.of(System.getProperty("reelfarm.artifacts.dir"));
    try (Writer w = Files.newBufferedWriter(dir.resolve("fake-" + role + ".properties"))) {
      props.store(w, null);
    }
  }

  private record Job(UUID id, String prompt, long createdNanos) {}

  private static void serveApi(int port) throws IOException {
    Map<UUID, Job> jobs = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/q/health/ready", ex -> send(ex, 200, Map.of("status", "UP")));
    server.createContext(
        "/api/v1/renders",
        ex -> {
          String path = ex.getRequestURI().getPath();
          String[] parts = path.split("/"); // "", api, v1, renders, {id}, video
          UUID id = parts.length >= 5 ? uuidOrNull(parts[4]) : null;
          Job known = id == null ? null : jobs.get(id);
          if (ex.getRequestMethod().equals("POST") && parts.length == 4) {
            RenderSubmission body = JSON.readValue(ex.getRequestBody(), RenderSubmission.class);
            String prompt = body.prompt() == null ? "" : body.prompt();
            if (prompt.isBlank()) {
              send(ex, 400, new ErrorBody("invalid_request", "prompt", "must not be empty"));
              return;
            }
            var job = new Job(UUID.randomUUID(), prompt, System.nanoTime());
            jobs.put(job.id(), job);
            send(
                ex,
                202,
                new RenderAccepted(
                    job.id(), JobStatus.QUEUED, new RenderAccepted.Links(null, null, null)));
          } else if (parts.length == 4) {
            send(
                ex,
                200,
                new RenderPage(jobs.values().stream().map(FakeService::view).toList(), null));
          } else if (parts.length == 5 && known != null) {
            send(ex, 200, view(known));
          } else if (parts.length == 6 && parts[5].equals("video") && known != null) {
            ex.sendResponseHeaders(200, VIDEO.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(VIDEO);
            }
          } else {
            send(ex, 404, new ErrorBody("not_found", null, "no such job"));
          }
        });
    server.start();
  }

  private static UUID uuidOrNull(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** QUEUED 0.3 s, RUNNING 2 chunks x 10 steps 2 s, ENCODING 0.7 s, then SUCCEEDED. */
  private static RenderView view(Job job) {
    double t = (System.nanoTime() - job.createdNanos()) / 1e9;
    JobStatus status;
    if (t < 0.3) status = JobStatus.QUEUED;
    else if (job.prompt().contains("fail") && t >= 0.6) status = JobStatus.FAILED;
    else if (t < 2.3) status = JobStatus.RUNNING;
    else if (t < 3.0) status = JobStatus.ENCODING;
    else status = JobStatus.SUCCEEDED;
    double render = Math.max(0, Math.min(1, (t - 0.3) / 2.0));
    double progress = status == JobStatus.SUCCEEDED ? 1.0 : render * 0.9;
    Double eta = status == JobStatus.RUNNING ? (double) Math.round(3.0 - t) : null;
    String error = status == JobStatus.FAILED ? "boom: chunk 1 failed 3 times" : null;
    var chunks = new ArrayList<RenderView.ChunkView>();
    for (int i = 0; i < 2; i++) {
      double chunkProgress = Math.max(0, Math.min(1, render * 2 - i));
      ChunkStatus chunkStatus =
          chunkProgress >= 1
              ? ChunkStatus.DONE
              : chunkProgress > 0 ? ChunkStatus.RUNNING : ChunkStatus.READY;
      chunks.add(
          new RenderView.ChunkView(
              i,
              ChunkRole.WINDOW,
              chunkStatus,
              1,
              "worker-" + (i + 1),
              (int) Math.floor(chunkProgress * 10),
              10,
              null,
              0,
              0,
              0,
              0,
              0,
              0,
              List.of(),
              null,
              null,
              null,
              null,
              null,
              null,
              null));
    }
    return new RenderView(
        job.id(),
        status,
        job.prompt(),
        null,
        4.0,
        "tiktok",
        null,
        10,
        0,
        0,
        RenderMode.SEQUENTIAL,
        Interpolation.MOTION,
        null,
        8,
        32,
        progress,
        eta,
        null,
        null,
        null,
        null,
        null,
        null,
        error,
        chunks,
        null,
        null,
        null,
        List.of());
  }

  private static void send(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private FakeService() {}
}
