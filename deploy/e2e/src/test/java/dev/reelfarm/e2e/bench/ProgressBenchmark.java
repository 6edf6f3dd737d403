package dev.reelfarm.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.LocalFarm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Benchmarks of the progress path, not tests (run explicitly: {@code ./mvnw -B -o -pl deploy/e2e
 * verify -Dit.test=ProgressBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}).
 *
 * <ul>
 *   <li>ETA accuracy: for 3 jobs, the ETA the API reports once a job is 25 % done, against the time
 *       it then really took.
 *   <li>Event overhead: 4 concurrent jobs with step events and previews at the shipped defaults (a
 *       step event every second, a preview every two seconds per chunk) versus throttled off. Both
 *       farms run side by side for the whole measurement and the batches alternate (on, off, off,
 *       on, ...), so drift in the shared machine's load hits both alike; the report gives every
 *       round and the median of the per-round ratios.
 * </ul>
 *
 * Settings: {@code -Dbench.steps} (default 30), {@code -Dbench.rounds} (default 3), {@code
 * -Dbench.model} (default: the farm's).
 */
class ProgressBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int STEPS = Integer.getInteger("bench.steps", 30);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

  @Test
  void etaAccuracyAndEventOverhead() throws Exception {
    StringBuilder report = new StringBuilder();
    try (LocalFarm farm = farm(Path.of("target/bench-eta"), null, null)) {
      report
          .append("ETA accuracy (ETA reported at >= 25 % vs actual remaining), ")
          .append(STEPS)
          .append(" steps, 2 workers\n");
      for (int i = 0; i < 3; i++) {
        String id = submit(farm, 8, 100 + i);
        Double eta = null;
        Instant at = null;
        JsonNode job;
        do {
          Thread.sleep(100);
          job = get(farm, id);
          if (eta == null
              && job.get("progress").asDouble() >= 0.25
              && !job.get("etaSeconds").isNull()) {
            eta = job.get("etaSeconds").asDouble();
            at = Instant.now();
          }
        } while (!job.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"));
        double actual = Duration.between(at, Instant.now()).toMillis() / 1000.0;
        report.append(
            String.format(
                "  job %d: ETA %.1f s, actual %.1f s, error %+.0f %%%n",
                i + 1, eta, actual, 100 * (eta - actual) / actual));
      }
    }
    report
        .append("Event overhead, 4 concurrent 4 s jobs per batch, ")
        .append(STEPS)
        .append(" steps, 2 workers per farm\n");
    List<Double> ratios = new ArrayList<>();
    try (LocalFarm on = farm(Path.of("target/bench-events-on"), null, null); // the shipped defaults
        LocalFarm off = farm(Path.of("target/bench-events-off"), "3600000", "3600000")) {
      fourJobs(on, 0); // warm-up: JIT, ONNX sessions, first-encode paths
      fourJobs(off, 0);
      for (int round = 1; round <= ROUNDS; round++) {
        double onSeconds;
        double offSeconds;
        if (round % 2 == 1) {
          onSeconds = fourJobs(on, round);
          offSeconds = fourJobs(off, round);
        } else {
          offSeconds = fourJobs(off, round);
          onSeconds = fourJobs(on, round);
        }
        ratios.add(onSeconds / offSeconds);
        report.append(
            String.format(
                "  round %d: events on %.1f s, throttled off %.1f s: %+.1f %%%n",
                round, onSeconds, offSeconds, 100 * (onSeconds / offSeconds - 1)));
      }
    }
    ratios.sort(Double::compare);
    report.append(
        String.format(
            "  median over %d rounds: %+.1f %%%n",
            ROUNDS, 100 * (ratios.get(ratios.size() / 2) - 1)));
    System.out.println(report);
    Files.createDirectories(Path.of("target/benchmarks"));
    Files.writeString(Path.of("target/benchmarks/progress.txt"), report.toString());
  }

  private static LocalFarm farm(Path dir, String stepEventMs, String previewMs) {
    FarmConfig b =
        LocalFarm.builder()
            .dir(dir.toAbsolutePath())
            .useEnvironment(false)
            .workers(2)
            .workerThreads(1);
    if (stepEventMs != null)
      b.workerProperty("reelfarm.worker.step-event-ms", stepEventMs)
          .workerProperty("reelfarm.worker.preview-ms", previewMs);
    if (System.getProperty("bench.model") != null)
      b.modelBundle(Path.of(System.getProperty("bench.model")));
    return b.start();
  }

  private static double fourJobs(LocalFarm farm, int round) throws Exception {
    Instant start = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) ids.add(submit(farm, 4, 200 + 10 * round + i));
    for (String id : ids) {
      while (!get(farm, id).get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED"))
        Thread.sleep(100);
    }
    return Duration.between(start, Instant.now()).toMillis() / 1000.0;
  }

  private static String submit(LocalFarm farm, int seconds, int seed) throws Exception {
    String body =
        "{\"prompt\":\"a green circle moving down on a white background\",\"durationSeconds\":"
            + seconds
            + ",\"seed\":"
            + seed
            + ",\"steps\":"
            + STEPS
            + "}";
    var r =
        HTTP.send(
            HttpRequest.newBuilder(farm.apiBase().resolve("/api/v1/renders"))
                .header("Authorization", "Bearer " + farm.adminKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("id").asText();
  }

  private static JsonNode get(LocalFarm farm, String id) throws Exception {
    URI uri = farm.apiBase().resolve("/api/v1/renders/" + id);
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + farm.adminKey())
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
