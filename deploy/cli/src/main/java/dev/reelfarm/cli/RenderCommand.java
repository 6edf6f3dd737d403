package dev.reelfarm.cli;

import dev.reelfarm.eval.RenderFarm;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.StartupReport;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.api.RenderView;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reelfarm render "<prompt>"}: start the farm, render one clip, write the MP4, stop. */
@Command(
    name = "render",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm render \"<prompt>\" [options]",
    header = "render one clip from a prompt on a local farm and write the MP4",
    descriptionHeading = "%n",
    description = {
      "Starts a local farm (embedded PostgreSQL and Kafka, orchestrator, workers, encoder),",
      "renders the prompt, writes the MP4 and stops the farm. With --api it submits to a",
      "running farm (./reelfarm up) instead."
    },
    optionListHeading = "%noptions:%n",
    footer = FarmOptions.ENVIRONMENT,
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {
      "0:done",
      "1:job failed or cancelled",
      "2:bad arguments or request rejected",
      "3:the farm did not start",
      "4:the farm failed while rendering"
    })
final class RenderCommand implements Callable<Integer> {

  /** How often the job is polled; the progress bar moves at this rate. */
  private static final Duration POLL = Duration.ofMillis(250);

  /** Polls may fail briefly (GC pause, busy machine); this many in a row (~10 s) is an error. */
  private static final int MAX_POLL_FAILURES = 40;

  @Parameters(
      arity = "1..*",
      paramLabel = "<prompt>",
      description =
          "the prompt; unquoted words are joined, so `reelfarm render a red circle` works")
  List<String> promptWords;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      defaultValue = "4",
      converter = Converters.Finite.class,
      description = "clip length in seconds (default ${DEFAULT-VALUE})")
  double seconds;

  @Mixin RenderOptions options;

  @Option(names = "--seed", paramLabel = "N", description = "seed (default: chosen by the farm)")
  Long seed;

  @Option(
      names = "--mode",
      paramLabel = "M",
      converter = Converters.Mode.class,
      description = "sequential | anchored | independent (default: the farm's)")
  RenderMode mode;

  @Option(names = "--negative", paramLabel = "TEXT", description = "negative prompt")
  String negative;

  @Option(names = "--priority", paramLabel = "N", description = "scheduling priority")
  Integer priority;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "clip.mp4",
      description = "where to write the MP4 (default ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--timeout",
      paramLabel = "S",
      defaultValue = "1800",
      description = "give up after S seconds of rendering (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "submit to the farm at URL instead of starting one")
  URI api;

  @Mixin FarmOptions farmOptions;

  @Mixin HelpOption help;

  private final PrintStream stdout;
  private final PrintStream err;

  RenderCommand(PrintStream stdout, PrintStream err) {
    this.stdout = stdout;
    this.err = err;
  }

  /** The POST body: the prompt and every option given; the rest is left to the farm. */
  RenderSubmission submission() {
    return RenderSubmission.builder(String.join(" ", promptWords))
        .negativePrompt(negative)
        .durationSeconds(seconds)
        .preset(options.preset)
        .seed(seed)
        .steps(options.steps)
        .guidanceScale(options.guidance)
        .priority(priority)
        .mode(mode)
        .build();
  }

  @Override
  public Integer call() throws Exception {
    RenderSubmission request = submission();
    long t0 = System.nanoTime();
    LocalFarm farm = null;
    try {
      FarmApi client;
      if (api != null) {
        client = FarmApi.forRunningFarm(api, farmOptions.dir);
      } else {
        err.println("reelfarm: starting the local farm …");
        farm = farmOptions.farm().start();
        err.println(
            "reelfarm: farm ready in "
                + StartupReport.seconds(farm.startupTime())
                + " ("
                + farm.describeTimings()
                + "); logs in "
                + farm.logsDir());
        if (farm.modelIsTestFixture()) {
          err.println(
              "reelfarm: WARNING: model is the TEST FIXTURE "
                  + farm.layout().root().relativize(farm.modelBundle())
                  + " (random weights), not the default model");
        }
        client = FarmApi.of(farm);
      }
      long tReady = System.nanoTime();
      return render(client, farm, request, t0, tReady);
    } finally {
      if (farm != null) farm.close();
    }
  }

  private int render(FarmApi api, LocalFarm farm, RenderSubmission request, long t0, long tReady)
      throws IOException, InterruptedException {
    UUID id;
    try {
      id = api.submit(request).id();
    } catch (RenderFarm.Rejected e) {
      err.println("reelfarm render: the farm rejected the request: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    err.println("reelfarm: job " + id + " submitted");

    var display = new ProgressDisplay(err, System.console() != null);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    long deadline = System.nanoTime() + timeout.toNanos();
    long tEncoding = 0;
    boolean sawEncoding = false;
    int failures = 0;
    RenderView job = null;
    JobStatus status = JobStatus.QUEUED;
    while (true) {
      try {
        job = api.job(id);
        status = job.status();
        failures = 0;
      } catch (IOException e) {
        if (++failures >= MAX_POLL_FAILURES) {
          display.finish();
          err.println("reelfarm: lost the farm's API while rendering: " + e.getMessage());
          return ExitCodes.FARM_ERROR;
        }
      }
      if (tEncoding == 0 && (status == JobStatus.ENCODING || status == JobStatus.SUCCEEDED)) {
        tEncoding = System.nanoTime();
        sawEncoding = status == JobStatus.ENCODING;
      }
      if (job != null) display.show(ProgressLine.format(job), status.name());
      if (status.isFinal()) break;
      Optional<String> failed =
          farm == null ? Optional.empty() : farm.failedComponent(status != JobStatus.ENCODING);
      if (failed.isPresent()) {
        display.finish();
        err.println("reelfarm: " + failed.get());
        return ExitCodes.FARM_ERROR;
      }
      if (System.nanoTime() > deadline) {
        display.finish();
        err.println(
            "reelfarm: job "
                + id
                + " did not finish within "
                + timeout.toSeconds()
                + " s (--timeout)");
        return ExitCodes.FARM_ERROR;
      }
      Thread.sleep(POLL.toMillis());
    }
    display.finish();
    long tDone = System.nanoTime();

    if (status != JobStatus.SUCCEEDED) {
      err.println(
          "reelfarm: job "
              + id
              + " "
              + status
              + ": "
              + (job.error() == null ? "(no error given)" : job.error()));
      for (RenderView.ChunkView chunk : chunks(job)) {
        if (chunk.status() == ChunkStatus.FAILED && chunk.error() != null) {
          err.println(
              "  chunk " + chunk.index() + " (attempt " + chunk.attempt() + "): " + chunk.error());
        }
      }
      if (farm != null) err.println("  logs: " + farm.logsDir());
      return ExitCodes.JOB_FAILED;
    }

    long size = api.downloadVideo(id, out);
    long tWritten = System.nanoTime();
    stdout.println(
        "wrote "
            + out
            + " ("
            + humanBytes(size)
            + ") · job "
            + id
            + " · "
            + BigDecimal.valueOf(request.durationSeconds()).stripTrailingZeros().toPlainString()
            + " s "
            + job.preset()
            + (job.seed() != null ? " · seed " + job.seed() : ""));
    String startup = farm == null ? "0.0 s (--api)" : seconds(tReady - t0);
    // Rendering is submit → ENCODING, encoding is ENCODING → SUCCEEDED, as seen by the 250 ms poll.
    String work =
        sawEncoding
            ? " + rendering "
                + seconds(tEncoding - tReady)
                + " + encoding "
                + seconds(tDone - tEncoding)
            : " + rendering and encoding " + seconds(tDone - tReady) + " (ENCODING not observed)";
    stdout.println(
        "time "
            + seconds(tWritten - t0)
            + " = start-up "
            + startup
            + work
            + " + download "
            + seconds(tWritten - tDone));
    stdout.println(workerTimings(api.job(id)));
    if (farm != null) stdout.println("start-up: " + farm.describeTimings());
    if (farm != null && farm.modelIsTestFixture()) {
      stdout.println("note: rendered with the TEST FIXTURE model (random weights): expect noise");
    }
    return ExitCodes.OK;
  }

  private static List<RenderView.ChunkView> chunks(RenderView job) {
    return job.chunks() == null ? List.of() : job.chunks();
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  static String humanBytes(long bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** What the workers spent on the job's chunks, summed over chunks (they may overlap in time). */
  static String workerTimings(RenderView job) {
    long text = 0;
    long denoise = 0;
    long decode = 0;
    List<RenderView.ChunkView> chunks = chunks(job);
    for (RenderView.ChunkView c : chunks) {
      text += orZero(c.textMs());
      denoise += orZero(c.denoiseMs());
      decode += orZero(c.decodeMs());
    }
    return String.format(
        Locale.ROOT,
        "workers: %d chunks, text encoding %.2f s + denoising %.1f s + decoding %.2f s (summed over chunks)",
        chunks.size(),
        text / 1000.0,
        denoise / 1000.0,
        decode / 1000.0);
  }

  private static long orZero(Long ms) {
    return ms == null ? 0 : ms;
  }
}
