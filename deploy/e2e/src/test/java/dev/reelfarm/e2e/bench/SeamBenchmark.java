package dev.reelfarm.e2e.bench;

import dev.reelfarm.cli.FarmApi;
import dev.reelfarm.cli.SeamsCommand;
import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.mediaqa.SeamMetric;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.api.RenderView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl deploy/e2e verify
 * -Dit.test=SeamBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}).
 *
 * <ul>
 *   <li>Seams: the same 12 s prompt and seed rendered {@code anchored}, {@code sequential} and
 *       {@code independent} on 3 workers; seam ratio (1.0 = invisible) and flicker of each MP4.
 *   <li>Determinism: the anchored request again on a farm with 1 worker; both MP4s decoded and
 *       compared frame by frame.
 * </ul>
 *
 * Settings: {@code -Dbench.model} (default: the farm's), {@code -Dbench.seconds} (default 12).
 */
class SeamBenchmark {
  private static final int SECONDS = Integer.getInteger("bench.seconds", 12);
  private static final String PROMPT = "a yellow square moving right on a purple background";
  private static final long SEED = 7;

  @Test
  void seamRatiosPerModeAndDeterminismAcrossWorkerCounts() throws Exception {
    Path dir = Path.of("target/bench-seams").toAbsolutePath();
    Files.createDirectories(dir);
    StringBuilder report =
        new StringBuilder(SECONDS + " s clip, \"" + PROMPT + "\", seed " + SEED + "\n");
    Path anchoredOnThree = dir.resolve("anchored-3-workers.mp4");
    try (LocalFarm farm = farm(dir.resolve("farm-3"), 3)) {
      FarmApi api = FarmApi.of(farm);
      for (RenderMode mode :
          List.of(RenderMode.ANCHORED, RenderMode.SEQUENTIAL, RenderMode.INDEPENDENT)) {
        Path mp4 = mode == RenderMode.ANCHORED ? anchoredOnThree : dir.resolve(mode.id() + ".mp4");
        RenderView job = render(api, mode, mp4);
        SeamMetric.Result r = SeamsCommand.measure(job, mp4);
        report.append(
            String.format(
                "  %-11s %2d chunks: seam ratio %.3f, flicker %.3f (%d boundaries)%n",
                mode.id(),
                job.chunks().size(),
                r.seamRatio(),
                r.flicker(),
                r.boundaryChanges().size()));
      }
    }
    Path anchoredOnOne = dir.resolve("anchored-1-worker.mp4");
    try (LocalFarm farm = farm(dir.resolve("farm-1"), 1)) {
      render(FarmApi.of(farm), RenderMode.ANCHORED, anchoredOnOne);
    }
    List<String> three = VideoProbe.frameHashes(anchoredOnThree);
    List<String> one = VideoProbe.frameHashes(anchoredOnOne);
    int differing = Math.abs(three.size() - one.size());
    for (int i = 0; i < Math.min(three.size(), one.size()); i++)
      if (!three.get(i).equals(one.get(i))) differing++;
    report.append(
        String.format(
            "  determinism, anchored on 3 workers vs 1 worker: %d vs %d frames, %d differing%n",
            three.size(), one.size(), differing));
    System.out.println(report);
    Files.createDirectories(Path.of("target/benchmarks"));
    Files.writeString(Path.of("target/benchmarks/seams.txt"), report.toString());
  }

  private static LocalFarm farm(Path dir, int workers) {
    FarmConfig b =
        LocalFarm.builder().dir(dir).useEnvironment(false).workers(workers).workerThreads(1);
    if (System.getProperty("bench.model") != null)
      b.modelBundle(Path.of(System.getProperty("bench.model")));
    return b.start();
  }

  private static RenderView render(FarmApi api, RenderMode mode, Path mp4) throws Exception {
    var request =
        RenderSubmission.builder(PROMPT)
            .durationSeconds((double) SECONDS)
            .seed(SEED)
            .mode(mode)
            .build();
    UUID id = api.submit(request).id();
    Instant deadline = Instant.now().plus(Duration.ofMinutes(20));
    RenderView job;
    do {
      Thread.sleep(500);
      job = api.job(id);
    } while (!job.status().isFinal() && Instant.now().isBefore(deadline));
    if (job.status() != JobStatus.SUCCEEDED) throw new AssertionError(mode + " job ended " + job);
    api.downloadVideo(id, mp4);
    return job;
  }
}
