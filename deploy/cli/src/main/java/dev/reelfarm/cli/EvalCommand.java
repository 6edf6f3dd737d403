package dev.reelfarm.cli;

import dev.reelfarm.eval.EvalRun;
import dev.reelfarm.eval.EvalSettings;
import dev.reelfarm.schema.api.RenderMode;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelfarm eval}: the options of {@link EvalRun}, which does the work. */
@Command(
    name = "eval",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm eval [options]",
    header = "render the eval prompts through the farm and score the clips' pixels",
    descriptionHeading = "%n",
    description = {
      "Renders every prompt of the eval set through a local farm (or a running one with --api),",
      "submitting all jobs at once, decodes each MP4 and reads object colour, background colour,",
      "shape and motion from its pixels (rules: models/README.md, 'Scoring a clip'). Prints each",
      "prompt's expected vs found attributes and the accuracy per attribute, overall, for held-out",
      "combinations and for paraphrases; writes eval.tsv, summary.json and the clips (videos/)",
      "under --out. The accuracy is a report: the exit code says whether the eval ran.",
      "The local farm options apply without --api."
    },
    optionListHeading = "%noptions:%n",
    footer = FarmOptions.ENVIRONMENT,
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {
      "0:every prompt rendered and scored (whatever the accuracy)",
      "1:some render jobs failed or were cancelled",
      "2:bad arguments, prompt file or request",
      "3:the farm did not start",
      "4:the farm failed, timed out or served a bad clip"
    })
final class EvalCommand implements Callable<Integer> {

  @Option(
      names = "--prompts",
      paramLabel = "FILE",
      description =
          "eval prompt TSV (default " + EvalSettings.DEFAULT_PROMPTS + " in the checkout)")
  Path prompts;

  @Option(
      names = "--palette",
      paramLabel = "FILE",
      description = "the shapes world's palette.json (default: next to the prompts file)")
  Path palette;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      defaultValue = "2",
      converter = Converters.Finite.class,
      description = "clip length in seconds (default ${DEFAULT-VALUE})")
  double seconds;

  @Mixin RenderOptions options;

  /**
   * Sequential scores what the model draws, chunk by chunk at its native frame rate. A 2 s clip
   * would otherwise be anchored, whose keyframe pass asks the model for frames 7 native frames
   * apart: that measures the model's frame-stride input too (`--mode anchored`).
   */
  @Option(
      names = "--mode",
      paramLabel = "M",
      defaultValue = "sequential",
      converter = Converters.Mode.class,
      description =
          "sequential | anchored | independent (default ${DEFAULT-VALUE}: every chunk at the native"
              + " frame rate, so the score is the model's own; anchored adds the low-frame-rate"
              + " keyframe pass, which a model without a frame-stride input draws 1/7 as fast)")
  RenderMode mode;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "seed of the first prompt; prompt i gets N+i (default ${DEFAULT-VALUE})")
  long seed;

  /** One seed per prompt measures a model's draws as much as the model: repeats pool several. */
  @Option(
      names = "--repeats",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "render every prompt N times, from seed bases S, S+100, S+200, … (S: --seed; 100 apart up"
              + " to 100 prompts, else the next hundred above the prompt count); the accuracy pools"
              + " all clips, with a line per seed base (default ${DEFAULT-VALUE})")
  int repeats;

  @Option(names = "--limit", paramLabel = "N", description = "only the first N prompts")
  Integer limit;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "target/eval",
      description = "where reports and clips go (default ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--timeout",
      paramLabel = "S",
      defaultValue = "7200",
      description = "give up on unfinished jobs after S seconds (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "use the farm at URL instead of starting one")
  URI api;

  @Mixin FarmOptions farmOptions;

  @Mixin HelpOption help;

  private final PrintStream stdout;
  private final PrintStream err;

  EvalCommand(PrintStream stdout, PrintStream err) {
    this.stdout = stdout;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    var settings =
        new EvalSettings(
            prompts,
            palette,
            seconds,
            options.steps,
            options.guidance,
            mode,
            options.preset,
            seed,
            repeats,
            limit,
            out,
            timeoutSeconds);
    var outcome =
        new EvalRun(stdout, err)
            .run(
                settings,
                api == null ? null : FarmApi.forRunningFarm(api, null),
                () -> farmOptions.farm().start(),
                FarmApi::of);
    return ExitCodes.of(outcome);
  }
}
