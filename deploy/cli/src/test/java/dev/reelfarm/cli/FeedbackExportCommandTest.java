package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** How {@code reelfarm feedback export} reads its command line. */
class FeedbackExportCommandTest {
  private static final PrintStream SINK = new PrintStream(new ByteArrayOutputStream());
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final FeedbackCommands.Since SINCE =
      new FeedbackCommands.Since(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void sinceTakesAnInstantADateOrAnAge() {
    assertThat(SINCE.convert("2026-11-30T08:00:00Z"))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    assertThat(SINCE.convert("2026-11-30")).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
    assertThat(SINCE.convert("24h")).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
    assertThat(SINCE.convert("7d")).isEqualTo(Instant.parse("2026-11-25T12:00:00Z"));
    assertThat(SINCE.convert("30m")).isEqualTo(Instant.parse("2026-12-02T11:30:00Z"));
    assertThatThrownBy(() -> SINCE.convert("yesterday"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'yesterday'");
  }

  @Test
  void optionsAreReadAndARatingOutsideOneToFiveIsRefused() {
    var export = new FeedbackCommands.Export(SINK, SINK);
    new CommandLine(export)
        .parseArgs("--out", "fb.jsonl", "--min-rating", "4", "--api", "http://farm:8080");
    assertThat(export.out).isEqualTo(Path.of("fb.jsonl"));
    assertThat(export.minRating).isEqualTo(4);
    assertThat(export.since).isNull();

    var err = new ByteArrayOutputStream();
    int code =
        ReelfarmCli.run(
            List.of("feedback", "export", "--min-rating", "6"),
            SINK,
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--min-rating must be 1 to 5");
  }

  @Test
  void feedbackWithoutASubcommandShowsItsUsage() {
    var err = new ByteArrayOutputStream();
    int code =
        ReelfarmCli.run(
            List.of("feedback"), SINK, new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("reelfarm feedback export");
  }
}
