package dev.reelfarm.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.config.ArtifactsConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl deploy/e2e -am verify
 * -Dit.test=ArtifactStoreBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfailsafe.failIfNoSpecifiedTests=false}).
 *
 * <p>What the S3 store (S3Proxy started with the farm) costs against the filesystem store: farms
 * with each store alternate (fs, s3, s3, fs, …, so a drift in the shared machine's speed hits
 * both), and each renders one 4 s clip (the README's request, default model, one worker) after
 * start-up; reported per store: seconds from the POST to SUCCEEDED, and the mean per store.
 *
 * <p>Settings: {@code -Dbench.rounds} (default 2: two farms of each).
 */
class ArtifactStoreBenchmark {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIP =
      "{\"prompt\":\"a red circle moving right\",\"durationSeconds\":4,\"seed\":7}";

  record Round(ArtifactsConfig.Store store, double renderSeconds) {}

  @Test
  void renderTimeOfA4sClipOnTheFilesystemAndOnS3() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 2);
    List<Round> results = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      var fs = ArtifactsConfig.Store.FS;
      var s3 = ArtifactsConfig.Store.S3;
      for (var store : r % 2 == 0 ? List.of(fs, s3) : List.of(s3, fs)) {
        Round round = new Round(store, render(store));
        results.add(round);
        System.out.println(row(round));
      }
    }
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "one 4 s clip per farm after start-up (default model, 1 worker); farms alternate%n"
                + "%-6s %10s%n",
            "store",
            "render s"));
    results.forEach(r -> report.append(row(r)).append('\n'));
    double[] mean = new double[2];
    for (var store : ArtifactsConfig.Store.values()) {
      mean[store.ordinal()] =
          results.stream()
              .filter(r -> r.store() == store)
              .mapToDouble(Round::renderSeconds)
              .average()
              .orElse(0);
      report.append(
          String.format(
              Locale.ROOT,
              "mean %-3s: %.2f s%n",
              store.name().toLowerCase(Locale.ROOT),
              mean[store.ordinal()]));
    }
    report.append(
        String.format(Locale.ROOT, "s3 vs fs: %+.1f %%%n", 100 * (mean[1] / mean[0] - 1)));
    System.out.println(report);
    Path out = Path.of("target/benchmarks/artifact-store.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private static String row(Round r) {
    return String.format(
        Locale.ROOT, "%-6s %10.2f", r.store().name().toLowerCase(Locale.ROOT), r.renderSeconds());
  }

  /** Seconds from the POST of the clip to its SUCCEEDED, on a fresh farm with {@code store}. */
  private static double render(ArtifactsConfig.Store store) throws Exception {
    try (LocalFarm farm =
        LocalFarm.builder()
            .dir(Path.of("target/bench-artifact-store"))
            .useEnvironment(false)
            .workers(1)
            .artifacts(store)
            .start()) {
      var api = farm.apiBase();
      long t0 = System.nanoTime();
      var submitted =
          HTTP.send(
              HttpRequest.newBuilder(api.resolve("/api/v1/renders"))
                  .header("Authorization", "Bearer " + farm.adminKey())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(CLIP))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (submitted.statusCode() != 202) throw new AssertionError(submitted.body());
      String id = JSON.readTree(submitted.body()).get("id").asText();
      while (true) {
        JsonNode job =
            JSON.readTree(
                HTTP.send(
                        HttpRequest.newBuilder(api.resolve("/api/v1/renders/" + id))
                            .header("Authorization", "Bearer " + farm.adminKey())
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        String status = job.get("status").asText();
        if (status.equals("SUCCEEDED")) return (System.nanoTime() - t0) / 1e9;
        if (Set.of("FAILED", "CANCELLED").contains(status))
          throw new AssertionError(store + " render " + status + ": " + job);
        Thread.sleep(100);
      }
    }
  }
}
