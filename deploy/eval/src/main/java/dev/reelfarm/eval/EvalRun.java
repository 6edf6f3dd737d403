package dev.reelfarm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.launcher.StartupReport;
import dev.reelfarm.schema.api.ApiJson;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code reelfarm eval}: renders the eval prompt set through the farm (a local farm it starts, or a
 * running one), decodes every MP4 and scores object colour, background colour, shape and motion
 * from its pixels ({@link ShapesWorldScorer}). Prints a table and the accuracy per attribute
 * (overall, held-out combinations, paraphrases), and writes {@code eval.tsv}, {@code summary.json}
 * and the clips under the output directory.
 *
 * <p>All jobs are submitted up front and the farm queues them; clips are scored as they finish. The
 * accuracy is a report, not a verdict: the outcome is {@link EvalOutcome#COMPLETE} whenever every
 * prompt was rendered and scored, whatever the score.
 */
public final class EvalRun {

  private static final ObjectMapper JSON =
      ApiJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;
  private final PrintStream err;

  public EvalRun(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Checks the settings and reads the prompts and palette, then renders and scores.
   *
   * @param runningFarm the farm to use (--api), or null to start a local one with {@code startFarm}
   * @param client the API client of a started local farm (its address and admin key)
   * @throws EvalSetupException before anything starts when the prompts or palette are unusable
   * @throws dev.reelfarm.infra.ServiceStartException when the local farm does not start
   */
  public EvalOutcome run(
      EvalSettings settings,
      RenderFarm runningFarm,
      Supplier<LocalFarm> startFarm,
      Function<LocalFarm, RenderFarm> client)
      throws IOException, InterruptedException {
    Optional<RepoLayout> layout = locateCheckout();
    EvalInputs inputs = EvalInputs.load(settings, layout);
    List<EvalPrompt> prompts = inputs.prompts();
    Path videosDir = settings.out().resolve("videos");
    Files.createDirectories(videosDir);

    err.println(
        "reelfarm eval: "
            + prompts.size()
            + " prompts from "
            + inputs.promptsFile()
            + " ("
            + prompts.stream().filter(EvalPrompt::heldOut).count()
            + " held-out, "
            + prompts.stream().filter(EvalPrompt::paraphrase).count()
            + " paraphrases)"
            + seedBasesNote(settings, prompts.size())
            + ", "
            + BigDecimal.valueOf(settings.seconds()).stripTrailingZeros().toPlainString()
            + " s each, preset "
            + (settings.preset() == null ? "the farm's default" : settings.preset())
            + ", mode "
            + settings.mode().id());

    Instant started = Instant.now();
    LocalFarm farm = null;
    try {
      RenderFarm api;
      ObjectNode run = JSON.createObjectNode();
      if (runningFarm != null) {
        api = runningFarm;
        run.put("api", api.address());
      } else {
        err.println("reelfarm eval: starting the local farm …");
        farm = startFarm.get();
        err.println(
            "reelfarm eval: farm ready in "
                + StartupReport.seconds(farm.startupTime())
                + "; model "
                + relative(farm.modelBundle(), layout)
                + "; logs in "
                + farm.logsDir());
        if (farm.modelIsTestFixture()) warnFixture(farm.modelBundle().getFileName().toString());
        api = client.apply(farm);
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
              inputs.world(),
              prompts,
              settings,
              videosDir,
              fixtureNames,
              this::warnFixture,
              err);
      EvalOutcome outcome = evaluation.run();
      if (outcome == EvalOutcome.REJECTED) return outcome;

      EvalReport report = new EvalReport(evaluation.results());
      boolean fixture =
          (farm != null && farm.modelIsTestFixture())
              || (evaluation.modelName() != null && fixtureNames.contains(evaluation.modelName()));
      run.put("model", evaluation.modelName());
      run.put("steps", evaluation.steps());
      run.put("guidanceScale", evaluation.guidanceScale());
      run.put("modelIsTestFixture", fixture);
      run.put("promptsFile", inputs.promptsFile().toString());
      run.put("paletteFile", inputs.paletteFile().toString());
      run.set("request", JSON.valueToTree(settings.template()));
      run.put("seedBase", settings.seed());
      run.put("repeats", settings.repeats());
      settings.seedBases(prompts.size()).forEach(run.putArray("seedBases")::add);
      run.put("startedAt", started.toString());
      run.put("finishedAt", Instant.now().toString());
      run.put("elapsedSeconds", round1(Duration.between(started, Instant.now()).toMillis() / 1e3));
      run.put("renderSeconds", round1(evaluation.renderSeconds()));

      Path outDir = settings.out();
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
              + evaluation.steps()
              + " steps · guidance "
              + evaluation.guidanceScale()
              + " · "
              + prompts.size()
              + " prompts"
              + (settings.repeats() > 1 ? " × " + settings.repeats() + " seed bases" : "")
              + " · rendered and scored in "
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
      return outcome;
    } finally {
      if (farm != null) farm.close();
    }
  }

  private static String seedBasesNote(EvalSettings settings, int prompts) {
    if (settings.repeats() == 1) return "";
    return settings.seedBases(prompts).stream()
        .map(String::valueOf)
        .collect(Collectors.joining(", ", ", each from seed bases ", ""));
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

  private static Optional<RepoLayout> locateCheckout() {
    try {
      return Optional.of(RepoLayout.locate());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  /** Names in the test fixtures' bundle.json files, to recognise a fixture behind --api. */
  private static Set<String> fixtureModelNames(Optional<RepoLayout> layout) {
    var names = new HashSet<String>();
    if (layout.isEmpty()) return names;
    for (Path bundle : layout.get().testFixtureBundles()) {
      try {
        JsonNode name = JSON.readTree(bundle.resolve("bundle.json").toFile()).get("name");
        if (name != null && name.isTextual()) names.add(name.asText());
      } catch (IOException e) {
        // Only used for a warning; a fixture we cannot read is one we cannot recognise.
      }
    }
    return names;
  }

  private static String relative(Path path, Optional<RepoLayout> layout) {
    if (layout.isPresent() && path.startsWith(layout.get().root())) {
      return layout.get().root().relativize(path).toString();
    }
    return path.toString();
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
