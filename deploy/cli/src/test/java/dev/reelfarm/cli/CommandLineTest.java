package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.config.ArtifactsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** How picocli reads a command line: the forms users type today keep working. */
class CommandLineTest {

  private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream());

  private static RenderCommand parse(String... argv) {
    var command = new RenderCommand(SINK, SINK);
    new CommandLine(command).parseArgs(argv);
    return command;
  }

  @Test
  void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    RenderCommand render = parse("a prompt", "--seconds", "4", "--out=clip.mp4", "--steps", "9");
    assertThat(render.promptWords).containsExactly("a prompt");
    assertThat(render.seconds).isEqualTo(4);
    assertThat(render.out).isEqualTo(Path.of("clip.mp4"));
    assertThat(render.options.steps).isEqualTo(9);
    assertThat(render.timeoutSeconds).isEqualTo(1800);
  }

  @Test
  void systemPropertiesAreCollectedForTheServices() {
    RenderCommand render = parse("-Dquarkus.log.level=DEBUG", "p", "-Dflag");
    assertThat(render.farmOptions.serviceProperties)
        .isEqualTo(Map.of("quarkus.log.level", "DEBUG", "flag", "true"));
    assertThat(render.promptWords).containsExactly("p");
  }

  @Test
  void upTakesTheArtifactStoreInAnyCaseAndRefusesAnother() {
    UpCommand up = new UpCommand(SINK, SINK);
    new CommandLine(up).parseArgs("--artifacts", "S3");
    assertThat(up.artifacts).isEqualTo(ArtifactsConfig.Store.S3);
    UpCommand byDefault = new UpCommand(SINK, SINK);
    new CommandLine(byDefault).parseArgs();
    assertThat(byDefault.artifacts).isEqualTo(ArtifactsConfig.Store.FS);
    assertThatThrownBy(
            () -> new CommandLine(new UpCommand(SINK, SINK)).parseArgs("--artifacts=nfs"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("'nfs' is not fs or s3");
  }

  @Test
  void upTakesAWorkerBundleOncePerWorkerAndTheLauncherRefusesADirectoryWithoutBundleJson() {
    UpCommand up = new UpCommand(SINK, SINK);
    new CommandLine(up)
        .parseArgs(
            "--model",
            "models/tiny-shapes",
            "--worker-bundle",
            "models/fixtures/tiny-random-bfchw",
            "--worker-bundle=models/fixtures/tiny-random-bcfhw");
    assertThat(up.farmOptions.model).isEqualTo(Path.of("models/tiny-shapes"));
    assertThat(up.workerBundles)
        .containsExactly(
            Path.of("models/fixtures/tiny-random-bfchw"),
            Path.of("models/fixtures/tiny-random-bcfhw"));
    assertThatThrownBy(
            () -> dev.reelfarm.launcher.LocalFarm.builder().workerBundle(Path.of("no-such-dir")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-dir has no bundle.json");
  }

  @Test
  void aNegativeNumberIsAValueNotAnOption() {
    assertThat(parse("p", "--guidance", "-1.5").options.guidance).isEqualTo(-1.5);
  }

  @Test
  void everythingAfterDoubleDashIsPositional() {
    assertThat(parse("--", "--json", "-x").promptWords).containsExactly("--json", "-x");
  }

  @Test
  void unknownOptionsMissingValuesAndBadNumbersAreUsageErrors() {
    assertThatThrownBy(() -> parse("p", "--sconds", "4"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--sconds");
    assertThatThrownBy(() -> parse("p", "--out"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--out");
    assertThatThrownBy(() -> new CommandLine(new StatusCommand(SINK, SINK)).parseArgs("--json=yes"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--json");
    assertThatThrownBy(() -> parse("p", "--steps", "four"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--steps")
        .hasMessageContaining("four");
    assertThatThrownBy(() -> parse("p", "--seconds", "four"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--seconds")
        .hasMessageContaining("must be a number, got 'four'");
    assertThatThrownBy(() -> parse("p", "--guidance", "NaN"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("must be a number, got 'NaN'");
    assertThatThrownBy(() -> parse("p", "--workers", "0"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--workers")
        .hasMessageContaining("must be at least 1");
    assertThatThrownBy(() -> parse())
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("<prompt>");
  }

  @Test
  void aUsageErrorExitsTwoNamingTheCommandAndItsHelp() {
    var err = new ByteArrayOutputStream();
    int code =
        ReelfarmCli.run(
            java.util.List.of("render", "p", "--sconds", "4"), SINK, new PrintStream(err, true));
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("reelfarm render: Unknown option: '--sconds'")
        .contains("(reelfarm render --help shows the options)");
  }

  @Test
  void anUnknownCommandExitsTwoWithTheOverview() {
    var err = new ByteArrayOutputStream();
    int code = ReelfarmCli.run(java.util.List.of("rendr"), SINK, new PrintStream(err, true));
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("reelfarm: unknown command 'rendr'").contains("render");
  }

  @Test
  void helpIsGeneratedForEveryCommandAndNamesItsOptionsAndExitCodes() {
    for (String command : java.util.List.of("render", "up", "status", "seams", "eval")) {
      var out = new ByteArrayOutputStream();
      assertThat(
              ReelfarmCli.run(
                  java.util.List.of(command, "--help"), new PrintStream(out, true), SINK))
          .isZero();
      var viaHelp = new ByteArrayOutputStream();
      assertThat(
              ReelfarmCli.run(
                  java.util.List.of("help", command), new PrintStream(viaHelp, true), SINK))
          .isZero();
      assertThat(out.toString())
          .startsWith("usage: reelfarm " + command)
          .isEqualTo(viaHelp.toString());
    }
    var overview = new ByteArrayOutputStream();
    assertThat(ReelfarmCli.run(java.util.List.of("--help"), new PrintStream(overview, true), SINK))
        .isZero();
    assertThat(overview.toString()).contains("render", "up", "status", "seams", "eval");
    var render = new ByteArrayOutputStream();
    ReelfarmCli.run(java.util.List.of("render", "--help"), new PrintStream(render, true), SINK);
    assertThat(render.toString())
        .contains(
            "--workers=N",
            "--worker-threads=N",
            "--model=DIR",
            "--dir=DIR",
            "-D=key=value",
            "--api=URL")
        .contains("(default 4)", "tiktok's 1080×1920 format without that rule", "REELFARM_DB_URL")
        .contains("4   the farm failed while rendering");
  }

  @Test
  void noCommandPrintsTheOverviewOnStderrAndExitsTwo() {
    var err = new ByteArrayOutputStream();
    assertThat(ReelfarmCli.run(java.util.List.of(), SINK, new PrintStream(err, true)))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("usage: reelfarm <command>");
  }

  @Test
  void teamsUpdateSendsAMergePatchOfTheLimitsGivenAndNullForEachLiftedQuota() {
    var update = new AdminCommands.TeamsUpdate(SINK, SINK);
    new CommandLine(update)
        .parseArgs("fx", "--weight", "3", "--unlimited", "max-queued-jobs,gpu-seconds-per-day");

    assertThat(update.patch().toString())
        .isEqualTo("{\"weight\":3,\"maxQueuedJobs\":null,\"gpuSecondsPerDay\":null}");
    var unknown = new AdminCommands.TeamsUpdate(SINK, SINK);
    new CommandLine(unknown).parseArgs("fx", "--unlimited", "weight");
    assertThatThrownBy(unknown::patch)
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("'weight' is not one of max-concurrent-chunks");
  }
}
