package dev.reelfarm.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code reelfarm render "<prompt>"}: start the farm, render one clip, write the MP4, stop. */
final class RenderCommand implements CliCommand {

  static final int EXIT_JOB_FAILED = 1;
  static final int EXIT_FARM_ERROR = 4;

  /** How often the job is polled; the progress bar moves at this rate. */
  private static final Duration POLL = Duration.ofMillis(250);

  /** Polls may fail briefly (GC pause, busy machine); this many in a row (~10 s) is an error. */
  private static final int MAX_POLL_FAILURES = 40;

  private final PrintStream out;
  private final PrintStream err;

  RenderCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "render";
  }

  @Override
  public String summary() {
    return "render one clip from a prompt on a local farm and write the MP4";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: reelfarm render \"<prompt>\" [options]",
        "",
        "Starts a local farm (embedded PostgreSQL and Kafka, orchestrator, workers, encoder),",
        "renders the prompt, writes the MP4 and stops the farm. With --api it submits to a",
        "running farm (./reelfarm up) instead.",
        "",
        "options:",
        "  --seconds N        clip length in seconds (default 4)",
        "  --preset NAME      tiktok | shorts | reels | landscape (default tiktok)",
        "  --seed N           seed (default: chosen by the farm)",
        "  --steps N          denoising steps (default: the model's)",
        "  --guidance X       classifier-free guidance scale (default: the model's)",
        "  --mode M           sequential | anchored (default: the farm's)",
        "  --negative TEXT    negative prompt",
        "  --priority N       scheduling priority",
        "  --out FILE         where to write the MP4 (default clip.mp4)",
        "  --timeout S        give up after S seconds of rendering (default 1800)",
        "  --api URL          submit to the farm at URL instead of starting one",
        FarmOptions.HELP,
        "exit codes: 0 done, 1 job failed or cancelled, 2 bad arguments or request rejected,",
        "            3 the farm did not start, 4 the farm failed while rendering",
        "");
  }

  @Override
  public int run(List<String> argv) throws Exception {
    Set<String> valueOptions =
        FarmOptions.valueOptionsWith(
            "seconds",
            "preset",
            "seed",
            "steps",
            "guidance",
            "mode",
            "negative",
            "priority",
            "out",
            "timeout",
            "api");
    Args args = Args.parse(name(), argv, valueOptions, Set.of());
    if (args.positionals().isEmpty()) throw new Args.UsageException(name(), "missing the prompt");
    // Unquoted words are joined, so `reelfarm render a red circle` works too.
    String prompt = String.join(" ", args.positionals());
    ObjectNode request = requestBody(prompt, args);
    Path outFile = Path.of(args.string("out", "clip.mp4"));
    Duration timeout = Duration.ofSeconds(args.integer("timeout", 1800));

    long t0 = System.nanoTime();
    LocalFarm farm = null;
    try {
      FarmApi api;
      if (args.has("api")) {
        api = new FarmApi(URI.create(args.string("api", null)));
      } else {
        err.println("reelfarm: starting the local farm …");
        farm = FarmOptions.farmBuilder(args).start();
        err.println(
            "reelfarm: farm ready in "
                + LocalFarm.seconds(farm.startupTime())
                + " ("
                + farm.describeTimings()
                + "); logs in "
                + farm.logsDir());
        if (farm.modelIsTestFixture()) {
          err.println(
              "reelfarm: WARNING: model is the TEST FIXTURE "
                  + RepoLayout.FIXTURE_BUNDLE
                  + " (random weights), not the default model");
        }
        api = new FarmApi(farm.apiBase());
      }
      long tReady = System.nanoTime();
      return render(api, farm, request, outFile, timeout, t0, tReady);
    } finally {
      if (farm != null) farm.close();
    }
  }

  static ObjectNode requestBody(String prompt, Args args) {
    ObjectNode body = FarmApi.JSON.createObjectNode();
    body.put("prompt", prompt);
    double seconds = args.decimal("seconds", 4.0);
    if (seconds == Math.rint(seconds) && Math.abs(seconds) < Integer.MAX_VALUE) {
      body.put("durationSeconds", (int) seconds);
    } else {
      body.put("durationSeconds", seconds);
    }
    body.put("preset", args.string("preset", "tiktok"));
    Long seed = args.longValue("seed", null);
    if (seed != null) body.put("seed", seed);
    Integer steps = args.integer("steps", null);
    if (steps != null) body.put("steps", steps);
    Double guidance = args.decimal("guidance", null);
    if (guidance != null) body.put("guidanceScale", guidance);
    if (args.has("mode")) body.put("mode", args.string("mode", null));
    if (args.has("negative")) body.put("negativePrompt", args.string("negative", null));
    Integer priority = args.integer("priority", null);
    if (priority != null) body.put("priority", priority);
    return body;
  }

  private int render(
      FarmApi api,
      LocalFarm farm,
      ObjectNode request,
      Path outFile,
      Duration timeout,
      long t0,
      long tReady)
      throws IOException, InterruptedException {
    JsonNode accepted;
    try {
      accepted = api.submit(request);
    } catch (FarmApi.ApiException e) {
      if (e.status() == 400) {
        err.println("reelfarm render: the farm rejected the request: " + e.describe());
        return ReelfarmCli.EXIT_USAGE;
      }
      throw e;
    }
    String id = accepted.path("id").asText();
    err.println("reelfarm: job " + id + " submitted");

    var display = new ProgressDisplay(err, System.console() != null);
    long deadline = System.nanoTime() + timeout.toNanos();
    long tEncoding = 0;
    boolean sawEncoding = false;
    int failures = 0;
    JsonNode job = accepted;
    String status = accepted.path("status").asText("QUEUED");
    while (true) {
      try {
        job = api.job(id);
        failures = 0;
      } catch (IOException e) {
        if (++failures >= MAX_POLL_FAILURES) {
          display.finish();
          err.println("reelfarm: lost the farm's API while rendering: " + e.getMessage());
          return EXIT_FARM_ERROR;
        }
      }
      status = job.path("status").asText(status);
      if (tEncoding == 0 && (status.equals("ENCODING") || status.equals("SUCCEEDED"))) {
        tEncoding = System.nanoTime();
        sawEncoding = status.equals("ENCODING");
      }
      display.show(ProgressLine.format(job), status);
      if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
        break;
      }
      Optional<String> failed =
          farm == null ? Optional.empty() : farm.failedComponent(!status.equals("ENCODING"));
      if (failed.isPresent()) {
        display.finish();
        err.println("reelfarm: " + failed.get());
        return EXIT_FARM_ERROR;
      }
      if (System.nanoTime() > deadline) {
        display.finish();
        err.println(
            "reelfarm: job "
                + id
                + " did not finish within "
                + timeout.toSeconds()
                + " s (--timeout)");
        return EXIT_FARM_ERROR;
      }
      Thread.sleep(POLL.toMillis());
    }
    display.finish();
    long tDone = System.nanoTime();

    if (!status.equals("SUCCEEDED")) {
      JsonNode error = job.get("error");
      String reason =
          error == null || error.isNull()
              ? "(no error given)"
              : error.isValueNode() ? error.asText() : error.toString();
      err.println("reelfarm: job " + id + " " + status + ": " + reason);
      for (JsonNode chunk : job.path("chunks")) {
        if ("FAILED".equals(chunk.path("status").asText()) && chunk.hasNonNull("error")) {
          err.println(
              "  chunk "
                  + chunk.path("index").asText()
                  + " (attempt "
                  + chunk.path("attempt").asText()
                  + "): "
                  + chunk.get("error").asText());
        }
      }
      if (farm != null) err.println("  logs: " + farm.logsDir());
      return EXIT_JOB_FAILED;
    }

    long size = api.downloadVideo(id, outFile);
    long tWritten = System.nanoTime();
    out.println(
        "wrote "
            + outFile
            + " ("
            + humanBytes(size)
            + ") · job "
            + id
            + " · "
            + request.path("durationSeconds").asText()
            + " s "
            + request.path("preset").asText()
            + (job.hasNonNull("seed") ? " · seed " + job.get("seed").asText() : ""));
    String startup = farm == null ? "0.0 s (--api)" : seconds(tReady - t0);
    // Rendering is submit → ENCODING, encoding is ENCODING → SUCCEEDED, as seen by the 250 ms poll.
    String work =
        sawEncoding
            ? " + rendering "
                + seconds(tEncoding - tReady)
                + " + encoding "
                + seconds(tDone - tEncoding)
            : " + rendering and encoding " + seconds(tDone - tReady) + " (ENCODING not observed)";
    out.println(
        "time "
            + seconds(tWritten - t0)
            + " = start-up "
            + startup
            + work
            + " + download "
            + seconds(tWritten - tDone));
    out.println(workerTimings(api.job(id)));
    if (farm != null) out.println("start-up: " + farm.describeTimings());
    if (farm != null && farm.modelIsTestFixture()) {
      out.println("note: rendered with the TEST FIXTURE model (random weights): expect noise");
    }
    return 0;
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  static String humanBytes(long bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /**
   * On a terminal, one line redrawn in place. Otherwise (CI logs, pipes) a new line when the status
   * changes, or at most every 5 s while the line changes.
   */
  static final class ProgressDisplay {
    private final PrintStream err;
    private final boolean terminal;
    private String lastStatus = "";
    private String lastLine = "";
    private long lastPrinted;
    private boolean drawn;

    ProgressDisplay(PrintStream err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    void show(String line, String status) {
      if (terminal) {
        err.print("\r" + line + "\033[K");
        err.flush();
        drawn = true;
        return;
      }
      long now = System.nanoTime();
      boolean statusChanged = !status.equals(lastStatus);
      if (statusChanged || (!line.equals(lastLine) && now - lastPrinted > 5_000_000_000L)) {
        err.println(line);
        lastPrinted = now;
        lastLine = line;
        lastStatus = status;
      }
    }

    void finish() {
      if (terminal && drawn) err.println();
      drawn = false;
    }
  }

  /** What the workers spent on the job's chunks, summed over chunks (they may overlap in time). */
  static String workerTimings(JsonNode job) {
    long text = 0;
    long denoise = 0;
    long decode = 0;
    int chunks = 0;
    for (JsonNode c : job.path("chunks")) {
      text += c.path("textMs").asLong();
      denoise += c.path("denoiseMs").asLong();
      decode += c.path("decodeMs").asLong();
      chunks++;
    }
    return String.format(java.util.Locale.ROOT, "workers: %d chunks, text encoding %.2f s + denoising %.1f s + decoding %.2f s (summed over chunks)",
        chunks, text / 1000.0, denoise / 1000.0, decode / 1000.0);
  }
}
