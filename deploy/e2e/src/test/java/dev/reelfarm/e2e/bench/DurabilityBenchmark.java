package dev.reelfarm.e2e.bench;

import dev.reelfarm.infra.EmbeddedPostgresServer;
import dev.reelfarm.launcher.LocalFarm;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl deploy/e2e -am verify
 * -Dit.test=DurabilityBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false}).
 *
 * <p>What a durable embedded PostgreSQL (fsync and synchronous_commit on, the farm's default) costs
 * against the unsafe setting: farms with each setting alternate (on, off, off, on, …, so a drift in
 * the shared machine's speed hits both), and each renders {@code bench.jobs} short jobs (1 s, 2
 * steps, simulated denoising of {@code bench.step-ms} per step on {@code bench.workers} simulated
 * workers; everything else real, including the 1080p encode). Reported per setting: submissions per
 * second (each POST is one commit), the median POST latency, and jobs per second from the first
 * submission to the last SUCCEEDED.
 *
 * <p>Settings: {@code -Dbench.rounds} (default 1: one farm of each), {@code -Dbench.jobs} (100),
 * {@code -Dbench.workers} (4), {@code -Dbench.step-ms} (250).
 */
class DurabilityBenchmark {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String JOB =
      "{\"prompt\":\"a red circle moving right\",\"durationSeconds\":1,\"steps\":2,\"seed\":%d}";

  record Round(
      boolean durable, double submitsPerSecond, double medianSubmitMs, double jobsPerSecond) {}

  @Test
  void jobsPerSecondWithFsyncOnAndOff() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 1);
    int jobs = Integer.getInteger("bench.jobs", 100);
    List<Round> results = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      boolean durableFirst = r % 2 == 0;
      for (boolean durable : new boolean[] {durableFirst, !durableFirst}) {
        Round round = run(durable, jobs);
        results.add(round);
        System.out.println(row(round));
      }
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "%d jobs of 1 s, 2 steps x %d ms simulated, %d simulated workers, per farm; farms alternate%n"
                + "%-8s %10s %14s %8s%n",
            jobs,
            Integer.getInteger("bench.step-ms", 250),
            Integer.getInteger("bench.workers", 4),
            "fsync",
            "submits/s",
            "median POST ms",
            "jobs/s"));
    results.forEach(r -> report.append(row(r)).append('\n'));
    for (boolean durable : new boolean[] {true, false}) {
      report.append(
          String.format(
              Locale.ROOT,
              "mean fsync %-3s: %.1f submits/s, %.2f jobs/s%n",
              durable ? "on" : "off",
              results.stream()
                  .filter(r -> r.durable() == durable)
                  .mapToDouble(Round::submitsPerSecond)
                  .average()
                  .orElse(0),
              results.stream()
                  .filter(r -> r.durable() == durable)
                  .mapToDouble(Round::jobsPerSecond)
                  .average()
                  .orElse(0)));
    }
    System.out.println(report);
    Path out = Path.of("target/benchmarks/durability.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private static String row(Round r) {
    return String.format(
        Locale.ROOT,
        "%-8s %10.1f %14.1f %8.2f",
        r.durable() ? "on" : "off",
        r.submitsPerSecond(),
        r.medianSubmitMs(),
        r.jobsPerSecond());
  }

  private static Round run(boolean durable, int jobs) throws Exception {
    // The farm's embedded PostgreSQL starts in this JVM and reads the switch at start.
    System.setProperty(EmbeddedPostgresServer.DURABLE_PROPERTY, Boolean.toString(durable));
    try (LocalFarm farm =
            LocalFarm.builder()
                .dir(Path.of("target/bench-durability"))
                .useEnvironment(false)
                .workers(1)
                .workerProperty(
                    "reelfarm.worker.simulate-step-ms",
                    Integer.toString(Integer.getInteger("bench.step-ms", 250)))
                .workerProperty(
                    "reelfarm.worker.nodes",
                    Integer.toString(Integer.getInteger("bench.workers", 4)))
                .start();
        Connection db =
            DriverManager.getConnection(farm.jdbcUrl(), farm.dbUser(), farm.dbPassword())) {
      if (!setting(db, "fsync").equals(durable ? "on" : "off"))
        throw new AssertionError("the farm's PostgreSQL did not take fsync=" + durable);
      long[] submitNanos = new long[jobs];
      long t0 = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        long s = System.nanoTime();
        var r =
            HTTP.send(
                HttpRequest.newBuilder(farm.apiBase().resolve("/api/v1/renders"))
                    .header("Authorization", "Bearer " + farm.adminKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JOB.formatted(i)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202)
          throw new AssertionError("submit: " + r.statusCode() + " " + r.body());
        submitNanos[i] = System.nanoTime() - s;
      }
      double submitSeconds = (System.nanoTime() - t0) / 1e9;
      long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
      while (count(db, "SELECT count(*) FROM render_job WHERE status = 'SUCCEEDED'") < jobs) {
        if (System.nanoTime() > deadline) throw new AssertionError("jobs not done in 15 min");
        if (count(db, "SELECT count(*) FROM render_job WHERE status IN ('FAILED','CANCELLED')") > 0)
          throw new AssertionError("a job failed");
        Thread.sleep(200);
      }
      double totalSeconds = (System.nanoTime() - t0) / 1e9;
      Arrays.sort(submitNanos);
      return new Round(
          durable, jobs / submitSeconds, submitNanos[jobs / 2] / 1e6, jobs / totalSeconds);
    } finally {
      System.clearProperty(EmbeddedPostgresServer.DURABLE_PROPERTY);
    }
  }

  private static String setting(Connection db, String name) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long count(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
