package dev.reelfarm.eval;

import dev.reelfarm.eval.ClipScore.Attribute;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderView;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One eval run against one farm: submit everything, poll, score as clips finish. Job {@code j}
 * renders prompt {@code j % prompts} in repeat {@code j / prompts}.
 */
final class Evaluation {

  /** The shapes world renders at 8 fps; used when the farm's job does not say. */
  static final double DEFAULT_NATIVE_FPS = 8;

  /**
   * Between poll rounds; each round asks for every unfinished job, so the pause grows with their
   * number (50 ms each) to keep the orchestrator's load flat on a busy machine.
   */
  private static final Duration POLL_MIN = Duration.ofSeconds(1);

  private static final Duration POLL_PER_JOB = Duration.ofMillis(50);

  /** Rounds in a row in which no poll got an answer (~30 s at least) before the farm is lost. */
  private static final int MAX_FAILED_ROUNDS = 30;

  /** A progress line at least this often while nothing changes, so a long queue shows life. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(60);

  private final RenderFarm api;
  private final LocalFarm farm;
  private final ShapesWorld world;
  private final ShapesWorldScorer scorer;
  private final List<EvalPrompt> prompts;
  private final EvalSettings settings;
  private final Path outDir;
  private final Path videosDir;
  private final Set<String> fixtureNames;
  private final Consumer<String> warnFixture;
  private final PrintStream err;
  private final EvalResult[] results;
  private final UUID[] jobIds;
  private final Map<Integer, String> lastStatus = new LinkedHashMap<>();
  private String modelName;
  private int steps;
  private double guidanceScale;
  private boolean farmError;
  private boolean jobsFailed;
  private long renderNanos;

  /**
   * @param farm the local farm, null behind --api
   * @param warnFixture called with the model's name when a farm behind --api runs a test fixture
   */
  Evaluation(
      RenderFarm api,
      LocalFarm farm,
      ShapesWorld world,
      List<EvalPrompt> prompts,
      EvalSettings settings,
      Path videosDir,
      Set<String> fixtureNames,
      Consumer<String> warnFixture,
      PrintStream err) {
    this.api = api;
    this.farm = farm;
    this.world = world;
    this.scorer = new ShapesWorldScorer(world);
    this.prompts = prompts;
    this.settings = settings;
    this.outDir = settings.out();
    this.videosDir = videosDir;
    this.fixtureNames = fixtureNames;
    this.warnFixture = warnFixture;
    this.err = err;
    this.results = new EvalResult[prompts.size() * settings.repeats()];
    this.jobIds = new UUID[results.length];
  }

  /** Submits every prompt, then polls and scores until all are done or the farm is lost. */
  EvalOutcome run() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    for (int i = 0; i < jobIds.length; i++) {
      try {
        jobIds[i] = api.submit(settings.submission(prompt(i).prompt(), seed(i))).id();
      } catch (RenderFarm.Rejected e) {
        err.println(
            "reelfarm eval: the farm rejected prompt "
                + (i % prompts.size() + 1)
                + " ('"
                + prompt(i).prompt()
                + "'): "
                + e.getMessage());
        return EvalOutcome.REJECTED;
      }
      if (jobIds[i] == null) throw new IOException("the farm accepted a job but gave no id");
    }
    err.println("reelfarm eval: " + jobIds.length + " jobs submitted; scoring as they finish");
    poll(t0);
    renderNanos = System.nanoTime() - t0;
    if (farmError) return EvalOutcome.FARM_ERROR;
    if (jobsFailed) return EvalOutcome.JOBS_FAILED;
    return EvalOutcome.COMPLETE;
  }

  private void poll(long t0) throws InterruptedException {
    long deadline = t0 + Duration.ofSeconds(settings.timeoutSeconds()).toNanos();
    Set<Integer> pending = new LinkedHashSet<>();
    for (int i = 0; i < jobIds.length; i++) pending.add(i);
    int failedRounds = 0;
    String lastProgress = "";
    long lastProgressAt = 0;
    while (!pending.isEmpty()) {
      int answered = 0;
      IOException lastFailure = null;
      for (int i : new ArrayList<>(pending)) {
        RenderView job;
        try {
          job = api.job(jobIds[i]);
          answered++;
        } catch (IOException e) {
          lastFailure = e;
          continue;
        }
        JobStatus status = job.status();
        lastStatus.put(i, status.name());
        if (modelName == null && job.model() != null) noteModel(job);
        switch (status) {
          case SUCCEEDED -> {
            results[i] = fetchAndScore(i, job);
            pending.remove(i);
            reportClip(results[i]);
          }
          case FAILED, CANCELLED -> {
            jobsFailed = true;
            results[i] =
                unscored(i, status.name(), job.error() == null ? "(no error given)" : job.error());
            pending.remove(i);
            reportClip(results[i]);
          }
          default -> {}
        }
      }
      if (pending.isEmpty()) break;
      failedRounds = answered == 0 ? failedRounds + 1 : 0;
      String abort = null;
      String status = null;
      // Queued jobs still need workers, so any dead component ends the eval.
      Optional<String> failed = farm == null ? Optional.empty() : farm.failedComponent(true);
      if (failedRounds >= MAX_FAILED_ROUNDS) {
        status = "API_LOST";
        abort = "lost the farm's API: " + (lastFailure == null ? "?" : lastFailure.getMessage());
      } else if (failed.isPresent()) {
        status = "FARM_DIED";
        abort = failed.get();
      } else if (System.nanoTime() > deadline) {
        status = "TIMEOUT";
        abort = "jobs did not finish within " + settings.timeoutSeconds() + " s (--timeout)";
      }
      if (abort != null) {
        err.println("reelfarm eval: " + abort);
        farmError = true;
        for (int i : pending) {
          results[i] =
              unscored(
                  i,
                  status,
                  abort.lines().findFirst().orElse(abort)
                      + " (last status "
                      + lastStatus.getOrDefault(i, "unknown")
                      + ")");
        }
        return;
      }
      String progress = progress(pending.size());
      long now = System.nanoTime();
      if (!progress.equals(lastProgress) || now - lastProgressAt > PROGRESS_EVERY.toNanos()) {
        err.printf(Locale.ROOT, "reelfarm eval: %s · %.0f s%n", progress, (now - t0) / 1e9);
        lastProgress = progress;
        lastProgressAt = now;
      }
      Thread.sleep(Math.max(POLL_MIN.toMillis(), POLL_PER_JOB.toMillis() * pending.size()));
    }
  }

  /** The model, steps and guidance the farm chose, from the first job that names them. */
  private void noteModel(RenderView job) {
    modelName = job.model();
    steps = job.steps();
    guidanceScale = job.guidanceScale();
    if (farm == null && fixtureNames.contains(modelName)) warnFixture.accept(modelName);
  }

  private EvalResult fetchAndScore(int i, RenderView job) {
    Path video = videosDir.resolve(String.format(Locale.ROOT, "%03d.mp4", i + 1));
    String relativeVideo = outDir.relativize(video).toString();
    try {
      api.downloadVideo(jobIds[i], video);
    } catch (IOException e) {
      farmError = true;
      return unscored(i, "DOWNLOAD_FAILED", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unscored(i, "INTERRUPTED", "interrupted while downloading");
    }
    double nativeFps = job.nativeFps() > 0 ? job.nativeFps() : DEFAULT_NATIVE_FPS;
    try {
      ClipDecoder.NativeClip clip = ClipDecoder.decode(video, world, nativeFps);
      ClipScore score = scorer.score(clip.frames(), clip.times());
      return new EvalResult(
          i,
          prompt(i),
          id(i),
          seed(i),
          seedBase(i),
          JobStatus.SUCCEEDED.name(),
          score,
          null,
          relativeVideo);
    } catch (IOException | RuntimeException e) {
      farmError = true;
      return new EvalResult(
          i,
          prompt(i),
          id(i),
          seed(i),
          seedBase(i),
          "UNDECODABLE",
          null,
          "cannot decode " + video + ": " + e,
          relativeVideo);
    }
  }

  private EvalResult unscored(int i, String status, String error) {
    return new EvalResult(i, prompt(i), id(i), seed(i), seedBase(i), status, null, error, null);
  }

  private String id(int i) {
    return jobIds[i] == null ? null : jobIds[i].toString();
  }

  private EvalPrompt prompt(int i) {
    return prompts.get(i % prompts.size());
  }

  private long seedBase(int i) {
    return settings.seedBase(i / prompts.size(), prompts.size());
  }

  private long seed(int i) {
    return seedBase(i) + i % prompts.size();
  }

  private void reportClip(EvalResult r) {
    var sb = new StringBuilder();
    for (Attribute a : Attribute.values()) sb.append(r.correct(a) ? '✓' : '✗');
    long done = Arrays.stream(results).filter(Objects::nonNull).count();
    err.println(
        String.format(
            Locale.ROOT,
            "reelfarm eval: [%d/%d] %s %s%s",
            done,
            results.length,
            sb,
            r.prompt().prompt(),
            r.scored() ? "" : " (" + r.status() + ")"));
  }

  private String progress(int pending) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < results.length; i++) {
      if (results[i] != null) continue;
      counts.merge(
          lastStatus.getOrDefault(i, JobStatus.QUEUED.name()).toLowerCase(Locale.ROOT),
          1,
          Integer::sum);
    }
    var sb = new StringBuilder();
    sb.append(results.length - pending).append('/').append(results.length).append(" done");
    counts.forEach((s, n) -> sb.append(" · ").append(n).append(' ').append(s));
    return sb.toString();
  }

  List<EvalResult> results() {
    return Arrays.asList(results);
  }

  String modelName() {
    return modelName;
  }

  int steps() {
    return steps;
  }

  double guidanceScale() {
    return guidanceScale;
  }

  double renderSeconds() {
    return renderNanos / 1e9;
  }
}
