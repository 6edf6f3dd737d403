package dev.reelfarm.schema.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A plain service's health over HTTP, in the MicroProfile Health shape the orchestrator's {@code
 * /q/health} has (so one Kubernetes probe fits every service): {@code /q/health}, {@code
 * /q/health/live} and {@code /q/health/ready} answer {@code {"status":"UP","checks":[{"name":…,
 * "status":…,"data":{…}}]}}, 200 when every check is UP and 503 when one is DOWN. Each check is a
 * {@link BackgroundLoop} of the service: a loop that is not running (not started yet, stopped, or
 * failed) is DOWN; liveness and readiness ask the same checks, as a service whose loops stopped can
 * neither work nor heal itself. {@link #serve} adds another read-only document (the service's
 * {@code /q/metrics}), so one port carries both.
 */
public final class HealthEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PATHS =
      List.of("/q/health", "/q/health/live", "/q/health/ready");

  /** One named check: UP while {@code up} says so, with {@code data} to show. */
  public record Check(String name, Supplier<Boolean> up, Supplier<Map<String, Object>> data) {

    /** UP while {@code loop} runs; its data says whether it ended by failing. */
    public static Check of(BackgroundLoop loop) {
      return new Check(
          loop.name(),
          loop::isRunning,
          () -> Map.of("running", loop.isRunning(), "failed", loop.failed()));
    }
  }

  private final HttpServer server;
  private final Supplier<List<Check>> checks;

  private HealthEndpoint(HttpServer server, Supplier<List<Check>> checks) {
    this.server = server;
    this.checks = checks;
  }

  /**
   * Serves the checks on {@code port} of every interface (0: a free port, see {@link #port()}).
   *
   * @param checks asked on every request (so a service may add loops after the start)
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static HealthEndpoint start(int port, Supplier<List<Check>> checks) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("health endpoint: cannot listen on port " + port, e);
    }
    HealthEndpoint endpoint = new HealthEndpoint(server, checks);
    server.createContext("/q/health", endpoint::handle);
    server.start();
    return endpoint;
  }

  /**
   * Also answers GET and HEAD of exactly {@code path} with {@code body}, asked on every request.
   *
   * @return this endpoint
   */
  public HealthEndpoint serve(String path, String contentType, Supplier<String> body) {
    server.createContext(
        path,
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
              exchange.sendResponseHeaders(404, -1);
            } else if (allowed(exchange)) {
              respond(exchange, 200, contentType, body.get().getBytes(StandardCharsets.UTF_8));
            }
          }
        });
    return this;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The health document and whether it is UP (for a log line or a test). */
  public Map<String, Object> report() {
    boolean up = true;
    List<Map<String, Object>> results = new java.util.ArrayList<>();
    for (Check check : checks.get()) {
      boolean checkUp = Boolean.TRUE.equals(check.up().get());
      up &= checkUp;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("name", check.name());
      result.put("status", checkUp ? "UP" : "DOWN");
      result.put("data", check.data().get());
      results.add(result);
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("status", up ? "UP" : "DOWN");
    report.put("checks", results);
    return report;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!PATHS.contains(path.endsWith("/") ? path.substring(0, path.length() - 1) : path)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!allowed(exchange)) return;
      Map<String, Object> report = report();
      int status = "UP".equals(report.get("status")) ? 200 : 503;
      respond(exchange, status, "application/json", JSON.writeValueAsBytes(report));
    }
  }

  /** Only GET and HEAD: anything else is answered 405 here. */
  private static boolean allowed(HttpExchange exchange) throws IOException {
    if (List.of("GET", "HEAD").contains(exchange.getRequestMethod())) return true;
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    exchange.sendResponseHeaders(405, -1);
    return false;
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops listening at once. */
  @Override
  public void close() {
    server.stop(0);
  }
}
