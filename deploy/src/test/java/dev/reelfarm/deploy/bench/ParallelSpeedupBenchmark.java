package dev.reelfarm.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.deploy.local.LocalFarm;
import dev.reelfarm.deploy.local.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl deploy verify
 * -Dit.test=ParallelSpeedupBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}).
 * Renders the same anchored 12-second job on a farm with 1 worker and with 2 workers, each worker
 * pinned to its own core with one ONNX Runtime thread, and reports the rendering phase (first chunk
 * dispatched → last chunk done), the whole job's wall time, their ratio, and the chunk timeline.
 * Settings: {@code -Dbench.steps} (default 50), {@code -Dbench.model} (default: the farm's).
 */
class ParallelSpeedupBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int workers, double renderSeconds, double jobSeconds, List<String> timeline) {}

  @Test
  void anchoredJobOnOneVersusTwoPinnedWorkers() throws Exception {
    int steps = Integer.getInteger("bench.steps", 50);
    List<Run> runs = new ArrayList<>();
    for (int workers : new int[] {1, 2}) runs.add(run(workers, steps));
    StringBuilder report = new StringBuilder("anchored 12 s job, " + steps + " steps, workers pinned one core each, 1 ORT thread\n");
    for (Run r : runs) {
      report.append(String.format("  %d worker(s): rendering %.2f s, whole job %.2f s%n", r.workers(), r.renderSeconds(), r.jobSeconds()));
      r.timeline().forEach(line -> report.append("      ").append(line).append('\n'));
    }
    report.append(String.format("  rendering speedup 2 vs 1 worker: %.2fx (whole job %.2fx)%n",
        runs.get(0).renderSeconds() / runs.get(1).renderSeconds(), runs.get(0).jobSeconds() / runs.get(1).jobSeconds()));
    System.out.println(report);
    Path out = Path.of("target/benchmarks/parallel-speedup.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private static Run run(int workers, int steps) throws Exception {
    Path dir = Files.createTempDirectory("bench-farm");
    LocalFarm.Builder builder = LocalFarm.builder().dir(dir).useEnvironment(false).workers(workers).workerThreads(1);
    if (System.getProperty("bench.model") != null) builder.modelBundle(Path.of(System.getProperty("bench.model")));
    try (LocalFarm farm = builder.start()) {
      int core = 0;
      for (ServiceProcess w : farm.workers()) {
        new ProcessBuilder("taskset", "-a", "-cp", Integer.toString(core++ % Runtime.getRuntime().availableProcessors()), Long.toString(w.pid()))
            .redirectErrorStream(true).start().waitFor();
      }
      HttpClient http = HttpClient.newHttpClient();
      String body = "{\"prompt\":\"a blue square moving right on a yellow background\",\"durationSeconds\":12,\"seed\":3,\"steps\":" + steps
          + ",\"mode\":\"anchored\"}";
      var created = http.send(HttpRequest.newBuilder(farm.apiBase().resolve("/api/v1/renders")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      String id = JSON.readTree(created.body()).get("id").asText();
      URI self = farm.apiBase().resolve("/api/v1/renders/" + id);
      Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
      JsonNode job;
      do {
        Thread.sleep(250);
        job = JSON.readTree(http.send(HttpRequest.newBuilder(self).build(), HttpResponse.BodyHandlers.ofString()).body());
      } while (!job.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(deadline));
      if (!job.get("status").asText().equals("SUCCEEDED")) throw new AssertionError("benchmark job ended " + job);
      try (Connection c = DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
          var s = c.createStatement();
          ResultSet r = s.executeQuery(
              "SELECT extract(epoch FROM max(ch.finished_at) - min(ch.dispatched_at)), extract(epoch FROM j.finished_at - j.created_at)"
                  + " FROM chunk ch JOIN render_job j ON j.id = ch.job_id WHERE j.id = '" + id + "' GROUP BY j.finished_at, j.created_at");
          var t = c.createStatement();
          ResultSet chunks = t.executeQuery(
              "SELECT chunk_index, role, worker_id, extract(epoch FROM started_at - t0.t), extract(epoch FROM finished_at - started_at),"
                  + " extract(epoch FROM dispatched_at - t0.t)"
                  + " FROM chunk, (SELECT min(dispatched_at) AS t FROM chunk WHERE job_id = '" + id + "') t0"
                  + " WHERE job_id = '" + id + "' ORDER BY started_at")) {
        r.next();
        List<String> timeline = new ArrayList<>();
        while (chunks.next()) {
          timeline.add(String.format("chunk %2d %-6s %s dispatched %6.2f s, start %6.2f s, took %5.2f s", chunks.getInt(1), chunks.getString(2),
              chunks.getString(3), chunks.getDouble(6), chunks.getDouble(4), chunks.getDouble(5)));
        }
        return new Run(workers, r.getDouble(1), r.getDouble(2), timeline);
      }
    }
  }
}
