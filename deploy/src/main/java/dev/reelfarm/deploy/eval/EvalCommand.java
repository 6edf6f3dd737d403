package dev.reelfarm.deploy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.deploy.eval.ClipScore.Attribute;
import dev.reelfarm.deploy.local.Args;
import dev.reelfarm.deploy.local.CliCommand;
import dev.reelfarm.deploy.local.FarmApi;
import dev.reelfarm.deploy.local.FarmOptions;
import dev.reelfarm.deploy.local.LocalFarm;
import dev.reelfarm.deploy.local.ReelfarmCli;
import dev.reelfarm.deploy.local.RepoLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code reelfarm eval}: renders the eval prompt set through the farm (a local farm it starts, or a
 * running one with {@code --api}), decodes every MP4 and scores object colour, background colour,
 * shape and motion from its pixels ({@link ShapesWorldScorer}). Prints a table and the accuracy per
 * attribute (overall, held-out combinations, paraphrases), and writes {@code eval.tsv}, {@code
 * summary.json} and the clips under {@code --out}.
 *
 * <p>All jobs are submitted up front and the farm queues them; clips are scored as they finish. The
 * accuracy is a report, not a verdict: the command exits 0 whenever every prompt was rendered and
 * scored, whatever the score.
 */
public final class EvalCommand implements CliCommand {

  /** Some render jobs failed or were cancelled; the report covers the rest. */
  public static final int EXIT_JOBS_FAILED = 1;

  /** The farm died, stopped answering, timed out, or served an undecodable clip. */
  public static final int EXIT_FARM_ERROR = 4;

  static final String DEFAULT_PROMPTS = "models/training/prompts_eval.txt";

  /**
   * Scores what the model draws, chunk by chunk at its native frame rate. A 2 s clip would
   * otherwise be anchored, whose keyframe pass asks the model for frames 7 native frames apart:
   * that measures the model's frame-stride input too (`--mode anchored`).
   */
  static final String DEFAULT_MODE = "sequential";

  /**
   * Checked before a farm starts; the API would refuse others only after the start-up. The
   * orchestrator's RenderMode is not on this module's classpath: EvalCommandTest keeps the two equal.
   */
  static final List<String> MODES = List.of("sequential", "anchored", "independent");

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

  private static final Set<String> VALUE_OPTIONS =
      FarmOptions.valueOptionsWith(
          "prompts",
          "palette",
          "seconds",
          "steps",
          "guidance",
          "mode",
          "preset",
          "seed",
          "limit",
          "out",
          "timeout",
          "api");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;
  private final PrintStream err;

  public EvalCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "eval";
  }

  @Override
  public String summary() {
    return "render the eval prompts through the farm and score the clips' pixels";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: reelfarm eval [options]",
        "",
        "Renders every prompt of the eval set through a local farm (or a running one with --api),",
        "submitting all jobs at once, decodes each MP4 and reads object colour, background colour,",
        "shape and motion from its pixels (rules: models/README.md, 'Scoring a clip'). Prints each",
        "prompt's expected vs found attributes and the accuracy per attribute, overall, for"
            + " held-out",
        "combinations and for paraphrases; writes eval.tsv, summary.json and the clips (videos/)",
        "under --out. The accuracy is a report: the exit code says whether the eval ran.",
        "",
        "options:",
        "  --prompts FILE     eval prompt TSV (default " + DEFAULT_PROMPTS + " in the checkout)",
        "  --palette FILE     the shapes world's palette.json (default: next to the prompts file)",
        "  --seconds N        clip length in seconds (default 2)",
        "  --steps N          denoising steps (default: the model's)",
        "  --guidance X       classifier-free guidance scale (default: the model's)",
        "  --mode M           sequential | anchored | independent (default sequential: every",
        "                     chunk at the native frame rate, so the score is the model's own;",
        "                     anchored adds the low-frame-rate keyframe pass, which a model",
        "                     without a frame-stride input draws 1/7 as fast)",
        "  --preset NAME      tiktok | shorts | reels | landscape (default tiktok)",
        "  --seed N           seed of the first prompt; prompt i gets N+i (default 1)",
        "  --limit N          only the first N prompts",
        "  --out DIR          where reports and clips go (default target/eval)",
        "  --timeout S        give up on unfinished jobs after S seconds (default 7200)",
        "  --api URL          use the farm at URL instead of starting one",
        "",
        "local farm options (without --api):",
        FarmOptions.HELP,
        "exit codes: 0 every prompt rendered and scored (whatever the accuracy), 1 some render",
        "            jobs failed or were cancelled, 2 bad arguments, prompt file or request,",
        "            3 the farm did not start, 4 the farm failed, timed out or served a bad clip",
        "");
  }

  @Override
  public int run(List<String> argv) throws Exception {
    Args args = Args.parse(name(), argv, VALUE_OPTIONS, Set.of());
    if (!args.positionals().isEmpty()) {
      throw new Args.UsageException(
          name(),
          "takes no prompt; unexpected '" + args.positionals().get(0) + "' (see --prompts)");
    }
    Optional<RepoLayout> layout = locateCheckout();
    Path promptsFile = promptsFile(args, layout);
    Path paletteFile =
        args.has("palette")
            ? Path.of(args.string("palette", null))
            : promptsFile.toAbsolutePath().resolveSibling("palette.json");
    List<String> promptLines = readPrompts(promptsFile);
    ShapesWorld world = loadWorld(paletteFile);
    List<EvalPrompt> prompts = parsePrompts(promptsFile, promptLines, world);
    Integer limit = args.integer("limit", null);
    if (limit != null) {
      if (limit < 1) throw new Args.UsageException(name(), "--limit must be at least 1");
      if (limit < prompts.size()) prompts = prompts.subList(0, limit);
    }
    int timeoutSeconds = args.integer("timeout", 7200);
    if (timeoutSeconds < 1) throw new Args.UsageException(name(), "--timeout must be positive");
    long seedBase = args.longValue("seed", 1L);
    ObjectNode template = requestTemplate(args);
    Path outDir = Path.of(args.string("out", "target/eval"));
    Path videosDir = outDir.resolve("videos");
    Files.createDirectories(videosDir);

    err.println(
        "reelfarm eval: "
            + prompts.size()
            + " prompts from "
            + promptsFile
            + " ("
            + prompts.stream().filter(EvalPrompt::heldOut).count()
            + " held-out, "
            + prompts.stream().filter(EvalPrompt::paraphrase).count()
            + " paraphrases), "
            + template.path("durationSeconds").asText()
            + " s each, preset "
            + template.path("preset").asText()
            + ", mode "
            + template.path("mode").asText());

    Instant started = Instant.now();
    LocalFarm farm = null;
    try {
      FarmApi api;
      ObjectNode run = JSON.createObjectNode();
      if (args.has("api")) {
        api = new FarmApi(URI.create(args.string("api", null)));
        run.put("api", api.base().toString());
      } else {
        err.println("reelfarm eval: starting the local farm …");
        farm = FarmOptions.farmBuilder(args).start();
        err.println(
            "reelfarm eval: farm ready in "
                + seconds(farm.startupTime())
                + "; model "
                + relative(farm.modelBundle(), layout)
                + "; logs in "
                + farm.logsDir());
        if (farm.modelIsTestFixture()) warnFixture(farm.modelBundle().getFileName().toString());
        api = new FarmApi(farm.apiBase());
        run.put("farm", "local");
        run.put("modelBundle", relative(farm.modelBundle(), layout));
        run.put("workers", farm.workers().size());
        run.put("farmStartupSeconds", round1(farm.startupTime().toMillis() / 1000.0));
      }
      Set<String> fixtureNames = fixtureModelNames(layout);
      var evaluation =
          new Evaluation(
              api,
              farm,
              world,
              prompts,
              template,
              seedBase,
              outDir,
              videosDir,
              Duration.ofSeconds(timeoutSeconds),
              fixtureNames);
      int code = evaluation.run();
      if (code == ReelfarmCli.EXIT_USAGE) return code;

      EvalReport report = new EvalReport(evaluation.results());
      boolean fixture =
          (farm != null && farm.modelIsTestFixture())
              || (evaluation.modelName() != null && fixtureNames.contains(evaluation.modelName()));
      run.put("model", evaluation.modelName());
      run.put("steps", evaluation.steps);
      run.put("guidanceScale", evaluation.guidanceScale);
      run.put("modelIsTestFixture", fixture);
      run.put("promptsFile", promptsFile.toString());
      run.put("paletteFile", paletteFile.toString());
      run.set("request", template);
      run.put("seedBase", seedBase);
      run.put("startedAt", started.toString());
      run.put("finishedAt", Instant.now().toString());
      run.put("elapsedSeconds", round1(Duration.between(started, Instant.now()).toMillis() / 1e3));
      run.put("renderSeconds", round1(evaluation.renderSeconds()));

      Files.writeString(outDir.resolve("eval.tsv"), report.tsv(), StandardCharsets.UTF_8);
      Files.writeString(
          outDir.resolve("summary.json"),
          JSON.writeValueAsString(report.summary(JSON, run)) + "\n",
          StandardCharsets.UTF_8);

      out.println();
      out.print(report.table());
      out.println();
      out.println(
          "model "
              + Optional.ofNullable(evaluation.modelName()).orElse("(unknown)")
              + " · "
              + evaluation.steps
              + " steps · guidance "
              + evaluation.guidanceScale
              + " · "
              + prompts.size()
              + " prompts · rendered and scored in "
              + String.format(Locale.ROOT, "%.1f s", evaluation.renderSeconds())
              + " · reports in "
              + outDir.resolve("eval.tsv")
              + " and "
              + outDir.resolve("summary.json"));
      if (fixture) {
        out.println(
            "WARNING: the model is the TEST FIXTURE (random weights): these figures measure noise,"
                + " not the default model");
      }
      return evaluation.exitCode();
    } finally {
      if (farm != null) farm.close();
    }
  }

  private void warnFixture(String name) {
    err.println("reelfarm eval: " + "!".repeat(72));
    err.println(
        "reelfarm eval: WARNING: the farm's model is the TEST FIXTURE "
            + name
            + " (random weights),");
    err.println(
        "reelfarm eval: not the trained default model "
            + RepoLayout.DEFAULT_BUNDLE
            + ": expect accuracy near chance.");
    err.println("reelfarm eval: " + "!".repeat(72));
  }

  private Optional<RepoLayout> locateCheckout() {
    try {
      return Optional.of(RepoLayout.locate());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  private Path promptsFile(Args args, Optional<RepoLayout> layout) {
    if (args.has("prompts")) return Path.of(args.string("prompts", null));
    return layout
        .map(l -> l.root().resolve(DEFAULT_PROMPTS))
        .orElseThrow(
            () ->
                new Args.UsageException(
                    name(), "not inside a Reelfarm checkout: pass --prompts FILE"));
  }

  private ShapesWorld loadWorld(Path paletteFile) {
    try {
      return ShapesWorld.fromJson(JSON.readTree(paletteFile.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new Args.UsageException(
          name(), "cannot read the palette " + paletteFile + ": " + e.getMessage());
    }
  }

  private List<String> readPrompts(Path promptsFile) {
    try {
      return Files.readAllLines(promptsFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Args.UsageException(name(), "cannot read the prompts " + promptsFile + ": " + e);
    }
  }

  private List<EvalPrompt> parsePrompts(Path promptsFile, List<String> lines, ShapesWorld world) {
    try {
      return EvalPrompt.parse(lines, world);
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(name(), promptsFile + ": " + e.getMessage());
    }
  }

  /** Every field of the render request but the prompt and the seed. */
  private ObjectNode requestTemplate(Args args) {
    ObjectNode body = JSON.createObjectNode();
    double seconds = args.decimal("seconds", 2.0);
    if (!(seconds > 0)) throw new Args.UsageException(name(), "--seconds must be positive");
    if (seconds == Math.rint(seconds)) body.put("durationSeconds", (int) seconds);
    else body.put("durationSeconds", seconds);
    body.put("preset", args.string("preset", "tiktok"));
    String mode = args.string("mode", DEFAULT_MODE);
    if (!MODES.contains(mode)) {
      throw new Args.UsageException(name(), "--mode must be one of " + String.join(", ", MODES) + ", not '" + mode + "'");
    }
    body.put("mode", mode);
    Integer steps = args.integer("steps", null);
    if (steps != null) body.put("steps", steps);
    Double guidance = args.decimal("guidance", null);
    if (guidance != null) body.put("guidanceScale", guidance);
    return body;
  }

  /** Names in the test fixtures' bundle.json files, to recognise a fixture behind --api. */
  private static Set<String> fixtureModelNames(Optional<RepoLayout> layout) {
    var names = new HashSet<String>();
    if (layout.isEmpty()) return names;
    Path fixtures = layout.get().root().resolve(RepoLayout.FIXTURE_BUNDLE).getParent();
    if (!Files.isDirectory(fixtures)) return names;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(fixtures)) {
      for (Path dir : dirs) {
        Path manifest = dir.resolve("bundle.json");
        if (!Files.isRegularFile(manifest)) continue;
        JsonNode name = JSON.readTree(manifest.toFile()).get("name");
        if (name != null && name.isTextual()) names.add(name.asText());
      }
    } catch (IOException e) {
      // Only used for a warning; a fixture we cannot read is one we cannot recognise.
    }
    return names;
  }

  private static String relative(Path path, Optional<RepoLayout> layout) {
    if (layout.isPresent() && path.startsWith(layout.get().root())) {
      return layout.get().root().relativize(path).toString();
    }
    return path.toString();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** One eval run against one farm: submit everything, poll, score as clips finish. */
  private final class Evaluation {
    private final FarmApi api;
    private final LocalFarm farm;
    private final ShapesWorld world;
    private final ShapesWorldScorer scorer;
    private final List<EvalPrompt> prompts;
    private final ObjectNode template;
    private final long seedBase;
    private final Path outDir;
    private final Path videosDir;
    private final Duration timeout;
    private final Set<String> fixtureNames;
    private final EvalResult[] results;
    private final String[] jobIds;
    private final Map<Integer, String> lastStatus = new LinkedHashMap<>();
    private String modelName;
    private int steps;
    private double guidanceScale;
    private boolean farmError;
    private boolean jobsFailed;
    private long renderNanos;

    Evaluation(
        FarmApi api,
        LocalFarm farm,
        ShapesWorld world,
        List<EvalPrompt> prompts,
        ObjectNode template,
        long seedBase,
        Path outDir,
        Path videosDir,
        Duration timeout,
        Set<String> fixtureNames) {
      this.api = api;
      this.farm = farm;
      this.world = world;
      this.scorer = new ShapesWorldScorer(world);
      this.prompts = prompts;
      this.template = template;
      this.seedBase = seedBase;
      this.outDir = outDir;
      this.videosDir = videosDir;
      this.timeout = timeout;
      this.fixtureNames = fixtureNames;
      this.results = new EvalResult[prompts.size()];
      this.jobIds = new String[prompts.size()];
    }

    /** {@link ReelfarmCli#EXIT_USAGE} when the farm rejected a request, else 0. */
    int run() throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      for (int i = 0; i < prompts.size(); i++) {
        ObjectNode body = template.deepCopy();
        body.put("prompt", prompts.get(i).prompt());
        body.put("seed", seedBase + i);
        try {
          jobIds[i] = api.submit(body).path("id").asText(null);
        } catch (FarmApi.ApiException e) {
          if (e.status() == 400) {
            err.println(
                "reelfarm eval: the farm rejected prompt "
                    + (i + 1)
                    + " ('"
                    + prompts.get(i).prompt()
                    + "'): "
                    + e.describe());
            return ReelfarmCli.EXIT_USAGE;
          }
          throw e;
        }
        if (jobIds[i] == null) throw new IOException("the farm accepted a job but gave no id");
      }
      err.println("reelfarm eval: " + prompts.size() + " jobs submitted; scoring as they finish");
      poll(t0);
      renderNanos = System.nanoTime() - t0;
      return 0;
    }

    private void poll(long t0) throws InterruptedException {
      long deadline = t0 + timeout.toNanos();
      Set<Integer> pending = new LinkedHashSet<>();
      for (int i = 0; i < prompts.size(); i++) pending.add(i);
      int failedRounds = 0;
      String lastProgress = "";
      long lastProgressAt = 0;
      while (!pending.isEmpty()) {
        int answered = 0;
        IOException lastFailure = null;
        for (int i : new ArrayList<>(pending)) {
          JsonNode job;
          try {
            job = api.job(jobIds[i]);
            answered++;
          } catch (IOException e) {
            lastFailure = e;
            continue;
          }
          String status = job.path("status").asText("?");
          lastStatus.put(i, status);
          if (modelName == null && job.hasNonNull("model")) noteModel(job);
          switch (status) {
            case "SUCCEEDED" -> {
              results[i] = fetchAndScore(i, job);
              pending.remove(i);
              reportClip(results[i]);
            }
            case "FAILED", "CANCELLED" -> {
              jobsFailed = true;
              results[i] = unscored(i, status, jobError(job));
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
          abort = "jobs did not finish within " + timeout.toSeconds() + " s (--timeout)";
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
    private void noteModel(JsonNode job) {
      modelName = job.get("model").asText();
      steps = job.path("steps").asInt(0);
      guidanceScale = job.path("guidanceScale").asDouble(0);
      if (farm == null && fixtureNames.contains(modelName)) warnFixture(modelName);
    }

    private EvalResult fetchAndScore(int i, JsonNode job) {
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
      double nativeFps = job.path("nativeFps").asDouble(0);
      if (!(nativeFps > 0)) nativeFps = DEFAULT_NATIVE_FPS;
      try {
        ClipDecoder.NativeClip clip = ClipDecoder.decode(video, world, nativeFps);
        ClipScore score = scorer.score(clip.frames(), clip.times());
        return new EvalResult(
            i, prompts.get(i), jobIds[i], seedBase + i, "SUCCEEDED", score, null, relativeVideo);
      } catch (IOException | RuntimeException e) {
        farmError = true;
        return new EvalResult(
            i,
            prompts.get(i),
            jobIds[i],
            seedBase + i,
            "UNDECODABLE",
            null,
            "cannot decode " + video + ": " + e,
            relativeVideo);
      }
    }

    private EvalResult unscored(int i, String status, String error) {
      return new EvalResult(i, prompts.get(i), jobIds[i], seedBase + i, status, null, error, null);
    }

    private void reportClip(EvalResult r) {
      var sb = new StringBuilder();
      for (Attribute a : Attribute.values()) sb.append(r.correct(a) ? '✓' : '✗');
      long done = java.util.Arrays.stream(results).filter(x -> x != null).count();
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
            lastStatus.getOrDefault(i, "QUEUED").toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
      var sb = new StringBuilder();
      sb.append(results.length - pending).append('/').append(results.length).append(" done");
      counts.forEach((s, n) -> sb.append(" · ").append(n).append(' ').append(s));
      return sb.toString();
    }

    private String jobError(JsonNode job) {
      JsonNode error = job.get("error");
      if (error == null || error.isNull()) return "(no error given)";
      return error.isValueNode() ? error.asText() : error.toString();
    }

    List<EvalResult> results() {
      return java.util.Arrays.asList(results);
    }

    String modelName() {
      return modelName;
    }

    double renderSeconds() {
      return renderNanos / 1e9;
    }

    int exitCode() {
      if (farmError) return EXIT_FARM_ERROR;
      if (jobsFailed) return EXIT_JOBS_FAILED;
      return 0;
    }
  }
}
