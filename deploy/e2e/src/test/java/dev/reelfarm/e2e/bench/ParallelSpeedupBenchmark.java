package dev.reelfarm.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.LocalFarm;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl deploy/e2e verify
 * -Dit.test=ParallelSpeedupBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}). Renders
 * the same anchored 12-second job on a farm with 1 worker and with 2 workers, each worker pinned to
 * its own core with one ONNX Runtime thread, and reports the rendering phase (first chunk
 * dispatched → last chunk done), the whole job's wall time, their ratio, and the chunk timeline. To
 * explain the ratio it also reports the bound the job's DAG sets (a zero-overhead farm with equal
 * chunk times) and, from Linux's scheduler statistics, how each worker's rendering thread spent the
 * rendering phase: on a CPU, runnable but waiting for one (other processes on its core), or idle
 * (waiting for its next chunk). Settings: {@code -Dbench.steps} (default 50), {@code
 * -Dbench.rounds} (default 2: farms of 1, 2, 2, 1 workers), {@code -Dbench.warmup-steps} (default
 * 10: a warm-up run of the job before the measured one; 0 measures cold JVMs), {@code
 * -Dbench.model} (default: the farm's).
 */
class ParallelSpeedupBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(
      int workers,
      double renderSeconds,
      double jobSeconds,
      int idealChunkTimes,
      int chunks,
      double cpuSecondsPerChunk,
      List<String> timeline,
      List<String> threads) {}

  @Test
  void anchoredJobOnOneVersusTwoPinnedWorkers() throws Exception {
    int steps = Integer.getInteger("bench.steps", 50);
    int rounds = Integer.getInteger("bench.rounds", 2);
    int warmupSteps = Integer.getInteger("bench.warmup-steps", 10);
    // 1, 2 then 2, 1 workers (ABBA): a drift in the shared machine's speed hits both sides alike.
    List<Run> runs = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int workers : round % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1})
        runs.add(run(workers, steps, warmupSteps));
    }
    StringBuilder report =
        new StringBuilder(
            "anchored 12 s job, "
                + steps
                + " steps, workers pinned one core each, 1 ORT thread, "
                + rounds
                + " rounds (1, 2, 2, 1 ... workers), "
                + (warmupSteps > 0
                    ? "each farm warmed up by the same job at " + warmupSteps + " steps"
                    : "cold farms (no warm-up job)")
                + "\n");
    for (Run r : runs) {
      report.append(
          String.format(
              "  %d worker(s): rendering %.2f s, whole job %.2f s; the DAG's %d chunks take %d chunk times;"
                  + " rendering threads on a CPU %.2f s per chunk%n",
              r.workers(),
              r.renderSeconds(),
              r.jobSeconds(),
              r.chunks(),
              r.idealChunkTimes(),
              r.cpuSecondsPerChunk()));
      r.threads().forEach(line -> report.append("      ").append(line).append('\n'));
      r.timeline().forEach(line -> report.append("      ").append(line).append('\n'));
    }
    Run one = runs.get(0);
    Run two = runs.get(1);
    report.append(
        String.format(
            "  rendering speedup 2 vs 1 worker: %.2fx (whole job %.2fx), from the mean of %d runs each;"
                + " per round %s; the DAG allows %.2fx (%d / %d chunk times)%n",
            mean(runs, 1, Run::renderSeconds) / mean(runs, 2, Run::renderSeconds),
            mean(runs, 1, Run::jobSeconds) / mean(runs, 2, Run::jobSeconds),
            rounds,
            perRound(runs),
            (double) one.idealChunkTimes() / two.idealChunkTimes(),
            one.idealChunkTimes(),
            two.idealChunkTimes()));
    System.out.println(report);
    Path out = Path.of("target/benchmarks/parallel-speedup.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private static double mean(List<Run> runs, int workers, ToDoubleFunction<Run> value) {
    return runs.stream()
        .filter(r -> r.workers() == workers)
        .mapToDouble(value)
        .average()
        .orElseThrow();
  }

  private static String perRound(List<Run> runs) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i + 1 < runs.size(); i += 2) {
      Run a = runs.get(i);
      Run b = runs.get(i + 1);
      Run one = a.workers() == 1 ? a : b;
      Run two = a.workers() == 1 ? b : a;
      ratios.add(String.format("%.2fx", one.renderSeconds() / two.renderSeconds()));
    }
    return String.join(", ", ratios);
  }

  private static Run run(int workers, int steps, int warmupSteps) throws Exception {
    Path dir = Files.createTempDirectory("bench-farm");
    FarmConfig builder =
        LocalFarm.builder().dir(dir).useEnvironment(false).workers(workers).workerThreads(1);
    if (System.getProperty("bench.model") != null)
      builder.modelBundle(Path.of(System.getProperty("bench.model")));
    try (LocalFarm farm = builder.start()) {
      int core = 0;
      for (ServiceProcess w : farm.workers()) {
        new ProcessBuilder(
                "taskset",
                "-a",
                "-cp",
                Integer.toString(core++ % Runtime.getRuntime().availableProcessors()),
                Long.toString(w.pid()))
            .redirectErrorStream(true)
            .start()
            .waitFor();
      }
      HttpClient http = HttpClient.newHttpClient();
      // The same job at a few steps first: every worker JVM then runs the measured job with its hot
      // paths compiled, as a long-lived farm worker does (a cold JVM spends ~4 % of its core on
      // JIT).
      if (warmupSteps > 0) renderAndWait(farm, http, 1, warmupSteps);
      List<ThreadClock> before = renderingThreads(farm.workers());
      String id = renderAndWait(farm, http, 3, steps);
      List<ThreadClock> after = renderingThreads(farm.workers());
      try (Connection c =
              DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword());
          var s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT extract(epoch FROM max(ch.finished_at) - min(ch.dispatched_at)), extract(epoch FROM j.finished_at - j.created_at)"
                      + " FROM chunk ch JOIN render_job j ON j.id = ch.job_id WHERE j.id = '"
                      + id
                      + "' GROUP BY j.finished_at, j.created_at");
          var t = c.createStatement();
          ResultSet chunks =
              t.executeQuery(
                  "SELECT chunk_index, role, worker_id, depends_on, extract(epoch FROM started_at - t0.t), extract(epoch FROM finished_at - started_at),"
                      + " extract(epoch FROM dispatched_at - t0.t)"
                      + " FROM chunk, (SELECT min(dispatched_at) AS t FROM chunk WHERE job_id = '"
                      + id
                      + "') t0"
                      + " WHERE job_id = '"
                      + id
                      + "' ORDER BY started_at")) {
        r.next();
        List<String> timeline = new ArrayList<>();
        Map<Integer, int[]> dependsOn = new TreeMap<>();
        while (chunks.next()) {
          dependsOn.put(
              chunks.getInt(1),
              Arrays.stream((Integer[]) chunks.getArray(4).getArray())
                  .mapToInt(Integer::intValue)
                  .toArray());
          timeline.add(
              String.format(
                  "chunk %2d %-6s %s dispatched %6.2f s, start %6.2f s, took %5.2f s",
                  chunks.getInt(1),
                  chunks.getString(2),
                  chunks.getString(3),
                  chunks.getDouble(7),
                  chunks.getDouble(5),
                  chunks.getDouble(6)));
        }
        int[][] dag = dependsOn.values().toArray(int[][]::new);
        double renderSeconds = r.getDouble(1);
        List<String> threads = new ArrayList<>();
        double cpuSeconds = 0;
        for (int i = 0; i < after.size(); i++) {
          ThreadClock used = after.get(i).minus(before.get(i));
          cpuSeconds += used.onCpuSeconds();
          double idle = Math.max(0, renderSeconds - used.onCpuSeconds() - used.waitingSeconds());
          threads.add(
              String.format(
                  "%s rendering thread over the job: on a CPU %.2f s, waiting for a CPU %.2f s, otherwise idle ~%.2f s",
                  used.worker(), used.onCpuSeconds(), used.waitingSeconds(), idle));
        }
        return new Run(
            workers,
            renderSeconds,
            r.getDouble(2),
            ScalingBenchmark.idealScheduleLength(dag, workers),
            dag.length,
            cpuSeconds / dag.length,
            timeline,
            threads);
      }
    }
  }

  /**
   * Submits the benchmark's 12-second anchored job and waits until it has succeeded (encoding
   * included).
   */
  private static String renderAndWait(LocalFarm farm, HttpClient http, int seed, int steps)
      throws Exception {
    String body =
        "{\"prompt\":\"a blue square moving right on a yellow background\",\"durationSeconds\":12,\"seed\":"
            + seed
            + ",\"steps\":"
            + steps
            + ",\"mode\":\"anchored\"}";
    var created =
        http.send(
            HttpRequest.newBuilder(farm.apiBase().resolve("/api/v1/renders"))
                .header("Authorization", "Bearer " + farm.adminKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String id = JSON.readTree(created.body()).get("id").asText();
    URI self = farm.apiBase().resolve("/api/v1/renders/" + id);
    Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
    JsonNode job;
    do {
      Thread.sleep(
          1000); // the phases come from the database's timestamps: polling faster only adds load
      job =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(self)
                          .header("Authorization", "Bearer " + farm.adminKey())
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
    } while (!job.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED")
        && Instant.now().isBefore(deadline));
    if (!job.get("status").asText().equals("SUCCEEDED"))
      throw new AssertionError("benchmark job ended " + job);
    return id;
  }

  /**
   * Scheduler time of one worker's rendering thread(s) (Linux schedstat: on CPU, runnable but
   * waiting).
   */
  record ThreadClock(String worker, double onCpuSeconds, double waitingSeconds) {
    ThreadClock minus(ThreadClock earlier) {
      return new ThreadClock(
          worker, onCpuSeconds - earlier.onCpuSeconds, waitingSeconds - earlier.waitingSeconds);
    }
  }

  /**
   * Reads each worker's {@code task-*} threads (the ones that render: ONNX Runtime runs on them
   * with 1 intra-op thread).
   */
  private static List<ThreadClock> renderingThreads(List<ServiceProcess> workers)
      throws IOException {
    List<ThreadClock> clocks = new ArrayList<>();
    for (ServiceProcess w : workers) {
      long onCpu = 0;
      long waiting = 0;
      try (var tasks = Files.list(Path.of("/proc", Long.toString(w.pid()), "task"))) {
        for (Path task : tasks.toList()) {
          if (!Files.readString(task.resolve("comm")).startsWith("task-")) continue;
          String[] stat = Files.readString(task.resolve("schedstat")).trim().split(" ");
          onCpu += Long.parseLong(stat[0]);
          waiting += Long.parseLong(stat[1]);
        }
      }
      clocks.add(new ThreadClock(w.name(), onCpu / 1e9, waiting / 1e9));
    }
    return clocks;
  }
}
