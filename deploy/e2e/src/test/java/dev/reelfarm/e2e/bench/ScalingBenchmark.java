package dev.reelfarm.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.LocalFarm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl deploy/e2e -am verify
 * -Dit.test=ScalingBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false}).
 *
 * <p>How one 60-second anchored job scales with the number of workers when the GPU is not the
 * question: every worker's denoising step is a sleep ({@code reelfarm.worker.simulate-step-ms}),
 * everything else is real (PostgreSQL, Kafka, the orchestrator's dispatcher and event handling,
 * step events and previews, artifacts, the encoder). For each N a fresh farm starts with one worker
 * process hosting N workers ({@code reelfarm.worker.nodes}), waits until all N own task partitions,
 * and renders the same job. Reported per N: the rendering phase (first chunk dispatched → last
 * chunk done), its speedup over N = 1, the speedup an ideal farm would get on this DAG (list
 * scheduling, critical path first, zero overhead; and the simpler {@code min(N, chunks / critical
 * path)}), the whole job's wall time and its encoding part, and the farm's overhead per chunk.
 *
 * <p>Settings: {@code -Dbench.workers} (default 1,2,4,8,16,32), {@code -Dbench.steps} (10), {@code
 * -Dbench.step-ms} (100), {@code -Dbench.seconds} (60), {@code -Dbench.model} (default: the
 * farm's).
 */
class ScalingBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One chunk as the database recorded it. */
  record Chunk(
      int index,
      String role,
      int[] dependsOn,
      String worker,
      Instant dispatched,
      Instant started,
      Instant finished) {}

  record Run(
      int workers,
      int chunks,
      int criticalPath,
      int idealChunkTimes,
      double renderSeconds,
      double jobSeconds,
      double encodeSeconds,
      double medianDispatchToStartMs,
      double medianRunMinusSleepMs,
      double medianReadyToDispatchMs,
      int workersUsed) {}

  @Test
  void anchoredMinuteOnOneToThirtyTwoSimulatedWorkers() throws Exception {
    int[] counts =
        Arrays.stream(System.getProperty("bench.workers", "1,2,4,8,16,32").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    int steps = Integer.getInteger("bench.steps", 10);
    int stepMs = Integer.getInteger("bench.step-ms", 100);
    int seconds = Integer.getInteger("bench.seconds", 60);
    double chunkSeconds = steps * stepMs / 1000.0;
    List<Run> runs = new ArrayList<>();
    for (int n : counts) {
      Run run = run(n, steps, stepMs, seconds);
      runs.add(run);
      System.out.println(row(run, runs.get(0), chunkSeconds));
    }

    Run base = runs.get(0);
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "anchored %d s job, %d chunks, critical path %d chunks; simulated denoise %d steps x %d ms = %.1f s per chunk;%n"
                + "one worker JVM hosting N workers; real PostgreSQL, Kafka, orchestrator, events, artifacts, encoder (1080x1920)%n",
            seconds,
            base.chunks(),
            base.criticalPath(),
            steps,
            stepMs,
            chunkSeconds));
    report.append(header()).append('\n');
    for (Run r : runs) report.append(row(r, base, chunkSeconds)).append('\n');
    report.append(
        """
        render  = first chunk dispatched -> last chunk done; speedup = render(N=%d) / render(N)
        ideal   = speedup of a zero-overhead farm on this DAG (list scheduling, critical path first): chunks / ideal schedule length
        min     = min(N, chunks / critical path)
        job     = request accepted -> SUCCEEDED (includes encoding); encode = encoding started -> SUCCEEDED
        ovh/chk = (render - ideal schedule length x chunk time) / ideal schedule length: what each chunk on the schedule's
                  critical chain costs beyond its denoising (dispatch, Kafka, events, artifacts)
        d->s    = median dispatched -> STARTED applied; run-T = median STARTED -> COMPLETED applied, minus the sleep;
        r->d    = median last dependency done -> dispatched (chunks with dependencies; includes waiting for an idle worker)
        """
            .formatted(base.workers()));
    System.out.println(report);
    Path out = Path.of("target/benchmarks/scaling.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private static String header() {
    return String.format(
        Locale.ROOT,
        "%4s %9s %8s %6s %6s %8s %8s %10s %7s %7s %7s %5s",
        "N",
        "render s",
        "speedup",
        "ideal",
        "min",
        "job s",
        "encode s",
        "ovh/chk ms",
        "d->s",
        "run-T",
        "r->d",
        "used");
  }

  private static String row(Run r, Run base, double chunkSeconds) {
    double idealSpeedup = (double) r.chunks() / r.idealChunkTimes();
    double simple = Math.min(r.workers(), (double) r.chunks() / r.criticalPath());
    double overheadMs =
        1000 * (r.renderSeconds() - r.idealChunkTimes() * chunkSeconds) / r.idealChunkTimes();
    return String.format(
        Locale.ROOT,
        "%4d %9.1f %7.2fx %5.2fx %5.2fx %8.1f %8.1f %10.0f %7.0f %7.0f %7.0f %5d",
        r.workers(),
        r.renderSeconds(),
        base.renderSeconds() / r.renderSeconds(),
        idealSpeedup,
        simple,
        r.jobSeconds(),
        r.encodeSeconds(),
        overheadMs,
        r.medianDispatchToStartMs(),
        r.medianRunMinusSleepMs(),
        r.medianReadyToDispatchMs(),
        r.workersUsed());
  }

  private static Run run(int workers, int steps, int stepMs, int seconds) throws Exception {
    FarmConfig builder =
        LocalFarm.builder()
            .dir(Path.of("target/bench-scaling"))
            .useEnvironment(false)
            .workers(1)
            .workerProperty("reelfarm.worker.simulate-step-ms", Integer.toString(stepMs))
            .workerProperty("reelfarm.worker.nodes", Integer.toString(workers));
    if (System.getProperty("bench.model") != null)
      builder.modelBundle(Path.of(System.getProperty("bench.model")));
    try (LocalFarm farm = builder.start();
        Connection db =
            DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword())) {
      awaitRoutable(db, workers);
      String body =
          "{\"prompt\":\"a blue square moving right on a yellow background\",\"durationSeconds\":"
              + seconds
              + ",\"seed\":3,\"steps\":"
              + steps
              + ",\"mode\":\"anchored\"}";
      var created =
          HTTP.send(
              HttpRequest.newBuilder(farm.apiBase().resolve("/api/v1/renders"))
                  .header("Authorization", "Bearer " + farm.adminKey())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 202)
        throw new AssertionError("submit: " + created.statusCode() + " " + created.body());
      UUID id = UUID.fromString(JSON.readTree(created.body()).get("id").asText());
      URI self = farm.apiBase().resolve("/api/v1/renders/" + id);
      Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
      String status;
      do {
        Thread.sleep(500);
        status =
            JSON.readTree(
                    HTTP.send(
                            HttpRequest.newBuilder(self)
                                .header("Authorization", "Bearer " + farm.adminKey())
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("status")
                .asText();
      } while (!status.matches("SUCCEEDED|FAILED|CANCELLED") && Instant.now().isBefore(deadline));
      if (!status.equals("SUCCEEDED"))
        throw new AssertionError("benchmark job ended " + status + " with " + workers + " workers");
      return measure(db, id, workers, steps * (long) stepMs);
    }
  }

  /**
   * Waits until {@code workers} live workers own task partitions between them all, twice in a row.
   */
  private static void awaitRoutable(Connection db, int workers) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    int settled = 0;
    String last = "";
    while (settled < 2) {
      if (Instant.now().isAfter(deadline))
        throw new AssertionError("workers never all owned partitions: " + last);
      Thread.sleep(1000);
      try (var s = db.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*), coalesce(sum(cardinality(task_partitions)), 0) FROM worker"
                      + " WHERE last_heartbeat_at > now() - interval '5 seconds' AND cardinality(task_partitions) > 0")) {
        r.next();
        last = r.getInt(1) + " workers with " + r.getInt(2) + " partitions";
        boolean ok =
            r.getInt(1) == workers
                && r.getInt(2) == dev.reelfarm.schema.messages.Topics.CHUNK_TASK_PARTITIONS;
        settled = ok ? settled + 1 : 0;
      }
    }
    System.out.println("  " + last + ", settled");
  }

  private static Run measure(Connection db, UUID id, int workers, long sleepMs) throws Exception {
    List<Chunk> chunks = new ArrayList<>();
    try (PreparedStatement s =
        db.prepareStatement(
            "SELECT chunk_index, role, depends_on, worker_id, dispatched_at, started_at, finished_at FROM chunk WHERE job_id = ? ORDER BY chunk_index")) {
      s.setObject(1, id);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Array deps = r.getArray(3);
          int[] dependsOn =
              Arrays.stream((Integer[]) deps.getArray()).mapToInt(Integer::intValue).toArray();
          chunks.add(
              new Chunk(
                  r.getInt(1),
                  r.getString(2),
                  dependsOn,
                  r.getString(4),
                  instant(r.getTimestamp(5)),
                  instant(r.getTimestamp(6)),
                  instant(r.getTimestamp(7))));
        }
      }
    }
    double jobSeconds;
    double encodeSeconds;
    try (PreparedStatement s =
        db.prepareStatement(
            "SELECT extract(epoch FROM finished_at - created_at), extract(epoch FROM finished_at - encoding_started_at) FROM render_job WHERE id = ?")) {
      s.setObject(1, id);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        jobSeconds = r.getDouble(1);
        encodeSeconds = r.getDouble(2);
      }
    }
    Instant first = chunks.stream().map(Chunk::dispatched).min(Instant::compareTo).orElseThrow();
    Instant last = chunks.stream().map(Chunk::finished).max(Instant::compareTo).orElseThrow();
    List<Double> dispatchToStart = new ArrayList<>();
    List<Double> runMinusSleep = new ArrayList<>();
    List<Double> readyToDispatch = new ArrayList<>();
    for (Chunk c : chunks) {
      dispatchToStart.add(ms(c.dispatched(), c.started()));
      runMinusSleep.add(ms(c.started(), c.finished()) - sleepMs);
      if (c.dependsOn().length > 0) {
        Instant ready =
            Arrays.stream(c.dependsOn())
                .mapToObj(d -> chunks.get(d).finished())
                .max(Instant::compareTo)
                .orElseThrow();
        readyToDispatch.add(ms(ready, c.dispatched()));
      }
    }
    int[][] deps = chunks.stream().map(Chunk::dependsOn).toArray(int[][]::new);
    return new Run(
        workers,
        chunks.size(),
        criticalPath(deps),
        idealScheduleLength(deps, workers),
        ms(first, last) / 1000.0,
        jobSeconds,
        encodeSeconds,
        median(dispatchToStart),
        median(runMinusSleep),
        median(readyToDispatch),
        (int) chunks.stream().map(Chunk::worker).distinct().count());
  }

  /** Chunks on the longest dependency path (dependencies have lower indices). */
  static int criticalPath(int[][] dependsOn) {
    int[] depth = new int[dependsOn.length];
    int longest = 0;
    for (int i = 0; i < dependsOn.length; i++) {
      depth[i] = 1;
      for (int d : dependsOn[i]) depth[i] = Math.max(depth[i], depth[d] + 1);
      longest = Math.max(longest, depth[i]);
    }
    return longest;
  }

  /**
   * Length, in chunk times, of the schedule a zero-overhead farm of {@code workers} would run:
   * every chunk takes one unit; at each unit boundary the ready chunks with the longest remaining
   * critical path start first (the dispatcher's order), one per free worker.
   */
  static int idealScheduleLength(int[][] dependsOn, int workers) {
    int n = dependsOn.length;
    int[] remaining = new int[n]; // chunks on the longest path from i to the end, itself included
    Arrays.fill(remaining, 1);
    for (int i = n - 1; i >= 0; i--)
      for (int d : dependsOn[i]) remaining[d] = Math.max(remaining[d], remaining[i] + 1);
    int[] finish = new int[n];
    Arrays.fill(finish, -1);
    int done = 0;
    int time = 0;
    while (done < n) {
      final int now = time;
      PriorityQueue<Integer> ready =
          new PriorityQueue<>(
              (a, b) -> remaining[a] != remaining[b] ? remaining[b] - remaining[a] : a - b);
      for (int i = 0; i < n; i++) {
        if (finish[i] >= 0) continue;
        if (Arrays.stream(dependsOn[i]).allMatch(d -> finish[d] >= 0 && finish[d] <= now))
          ready.add(i);
      }
      for (int w = 0; w < workers && !ready.isEmpty(); w++) {
        finish[ready.poll()] = now + 1;
        done++;
      }
      time++;
    }
    return time;
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) return Double.NaN;
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  private static double ms(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
