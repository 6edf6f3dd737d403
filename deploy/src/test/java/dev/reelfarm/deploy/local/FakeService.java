package dev.reelfarm.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
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
 * lines as the real services. The fake orchestrator serves the render API with a scripted job:
 * QUEUED, RUNNING two chunks, ENCODING, SUCCEEDED (or FAILED for a prompt with "fail").
 *
 * <p>{@code -Dfake.exit=N} makes it exit with N during start-up.
 */
public final class FakeService {

  static final ObjectMapper JSON = new ObjectMapper();
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

  private record Job(String id, String prompt, long createdNanos) {}

  private static void serveApi(int port) throws IOException {
    Map<String, Job> jobs = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/q/health/ready", ex -> send(ex, 200, "{\"status\":\"UP\"}"));
    server.createContext(
        "/api/v1/renders",
        ex -> {
          String path = ex.getRequestURI().getPath();
          String[] parts = path.split("/"); // "", api, v1, renders, {id}, video
          if (ex.getRequestMethod().equals("POST") && parts.length == 4) {
            JsonNode body = JSON.readTree(ex.getRequestBody());
            String prompt = body.path("prompt").asText("");
            if (prompt.isBlank()) {
              send(ex, 400, "{\"field\":\"prompt\",\"message\":\"must not be empty\"}");
              return;
            }
            var job = new Job(UUID.randomUUID().toString(), prompt, System.nanoTime());
            jobs.put(job.id(), job);
            send(ex, 202, "{\"id\":\"" + job.id() + "\",\"status\":\"QUEUED\",\"links\":{}}");
          } else if (parts.length == 4) {
            ArrayNode items = JSON.createArrayNode();
            jobs.values().forEach(j -> items.add(view(j)));
            ObjectNode page = JSON.createObjectNode();
            page.set("items", items);
            send(ex, 200, page.toString());
          } else if (parts.length == 5 && jobs.containsKey(parts[4])) {
            send(ex, 200, view(jobs.get(parts[4])).toString());
          } else if (parts.length == 6 && parts[5].equals("video") && jobs.containsKey(parts[4])) {
            ex.sendResponseHeaders(200, VIDEO.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(VIDEO);
            }
          } else {
            send(ex, 404, "{\"message\":\"no such job\"}");
          }
        });
    server.start();
  }

  /** QUEUED 0.3 s, RUNNING 2 chunks x 10 steps 2 s, ENCODING 0.7 s, then SUCCEEDED. */
  private static ObjectNode view(Job job) {
    double t = (System.nanoTime() - job.createdNanos()) / 1e9;
    ObjectNode node = JSON.createObjectNode();
    node.put("id", job.id());
    node.put("prompt", job.prompt());
    String status;
    if (t < 0.3) status = "QUEUED";
    else if (job.prompt().contains("fail") && t >= 0.6) status = "FAILED";
    else if (t < 2.3) status = "RUNNING";
    else if (t < 3.0) status = "ENCODING";
    else status = "SUCCEEDED";
    node.put("status", status);
    double render = Math.max(0, Math.min(1, (t - 0.3) / 2.0));
    node.put("progress", status.equals("SUCCEEDED") ? 1.0 : render * 0.9);
    if (status.equals("RUNNING")) node.put("etaSeconds", Math.round(3.0 - t));
    else node.putNull("etaSeconds");
    if (status.equals("FAILED")) node.put("error", "boom: chunk 1 failed 3 times");
    ArrayNode chunks = node.putArray("chunks");
    for (int i = 0; i < 2; i++) {
      double chunkProgress = Math.max(0, Math.min(1, render * 2 - i));
      ObjectNode c = chunks.addObject();
      c.put("index", i);
      c.put("attempt", 1);
      c.put("status", chunkProgress >= 1 ? "DONE" : chunkProgress > 0 ? "RUNNING" : "READY");
      c.put("workerId", "worker-" + (i + 1));
      c.put("step", (int) Math.floor(chunkProgress * 10));
      c.put("steps", 10);
    }
    return node;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private FakeService() {}
}
