package dev.reelfarm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code reelfarm feedback export}: the ratings of a running farm's renders as a dataset, one JSON
 * object per line (JSON Lines) as {@code GET /api/v1/feedback} gives them (prompt, seed,
 * parameters, model, rating, tags, comment, video), which {@code models/training/feedback.py}
 * reads. An admin key exports every team's, a team's key its own.
 */
final class FeedbackCommands {
  private FeedbackCommands() {}

  @Command(
      name = "feedback",
      synopsisHeading = "usage: ",
      customSynopsis = "reelfarm feedback export [--out FILE] [--since WHEN] [--min-rating N] …",
      header = "export the ratings of renders as a training dataset",
      subcommands = {Export.class})
  static final class Feedback implements Callable<Integer> {
    @Mixin HelpOption help;

    @Spec CommandSpec spec;

    Feedback(PrintStream out, PrintStream err) {}

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }

  @Command(
      name = "export",
      synopsisHeading = "usage: ",
      sortOptions = false,
      header = "write the farm's feedback as JSON Lines",
      descriptionHeading = "%n",
      description = {
        "One line per rating, oldest change first: feedbackId, renderId, team, prompt,",
        "negativePrompt, seed, parameters, model {name, version, checksum}, rating, tags, comment,",
        "video {uri, path, frames, durationSeconds}, createdAt, updatedAt. A replaced rating is",
        "exported once, as it is now. The key is $REELFARM_API_KEY, else the admin key of --dir."
      },
      optionListHeading = "%noptions:%n",
      exitCodeListHeading = "%nexit codes:%n",
      exitCodeList = {"0:written", "2:bad arguments or refused by the farm", "4:no farm answers"})
  static final class Export implements Callable<Integer> {
    static final int PAGE = 500;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "where to write the dataset (default: standard output)")
    Path out;

    @Option(
        names = "--since",
        paramLabel = "WHEN",
        converter = Since.class,
        description =
            "only feedback given or changed since: an ISO instant (2026-12-01T00:00:00Z), a date"
                + " (2026-12-01, UTC) or an age (30m, 24h, 7d)")
    Instant since;

    @Option(
        names = "--min-rating",
        paramLabel = "N",
        converter = Rating.class,
        description = "only ratings of at least N (1-5)")
    Integer minRating;

    @Mixin RunningFarm farm;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "the local farm whose admin key to send (default .reelfarm)")
    Path dir;

    @Mixin HelpOption help;

    private final PrintStream stdout;
    private final PrintStream err;

    Export(PrintStream out, PrintStream err) {
      this.stdout = out;
      this.err = err;
    }

    @Override
    public Integer call() throws Exception {
      FarmApi api = farm.client(dir);
      long written;
      try {
        if (out == null) {
          Writer writer = new OutputStreamWriter(stdout, StandardCharsets.UTF_8);
          written = write(api, writer);
          writer.flush();
        } else {
          written = writeFile(api);
        }
      } catch (FarmApi.ApiException e) {
        if (e.status() >= 500) throw e;
        err.println("reelfarm feedback export: " + e.describe());
        return ExitCodes.USAGE;
      }
      err.println(
          "reelfarm feedback export: "
              + written
              + (written == 1 ? " record" : " records")
              + (out == null ? "" : " written to " + out));
      return ExitCodes.OK;
    }

    /** Into a temporary file next to {@link #out}, moved there once complete. */
    private long writeFile(FarmApi api) throws IOException, InterruptedException {
      Path target = out.toAbsolutePath();
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".reelfarm-feedback-", ".jsonl");
      try {
        long n;
        try (BufferedWriter writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          n = write(api, writer);
        }
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return n;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }

    private long write(FarmApi api, Writer writer) throws IOException, InterruptedException {
      long n = 0;
      String after = null;
      do {
        JsonNode page = api.call("GET", path(after), null, 200);
        for (JsonNode item : page.get("items")) {
          writer.write(FarmApi.JSON.writeValueAsString(item));
          writer.write('\n');
          n++;
        }
        after = page.hasNonNull("next") ? page.get("next").asText() : null;
      } while (after != null);
      return n;
    }

    private String path(String after) {
      StringBuilder path = new StringBuilder("/api/v1/feedback?limit=" + PAGE);
      if (since != null) path.append("&since=").append(since);
      if (minRating != null) path.append("&minRating=").append(minRating);
      if (after != null)
        path.append("&after=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
      return path.toString();
    }
  }

  /** An instant, a UTC date or an age back from now. */
  static final class Since implements ITypeConverter<Instant> {
    private final Clock clock;

    Since() {
      this(Clock.systemUTC());
    }

    Since(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
      String v = value.strip();
      try {
        if (v.matches("\\d+[smhd]")) {
          long n = Long.parseLong(v.substring(0, v.length() - 1));
          Duration age =
              switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
              };
          return clock.instant().minus(age);
        }
        if (v.matches("\\d{4}-\\d{2}-\\d{2}"))
          return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        return Instant.parse(v);
      } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
        throw new TypeConversionException(
            "--since must be an instant (2026-12-01T00:00:00Z), a date (2026-12-01) or an age"
                + " (30m, 24h, 7d), not '"
                + value
                + "'");
      }
    }
  }

  /** A rating, 1 to 5. */
  static final class Rating implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 1 && n <= 5) return n;
      } catch (NumberFormatException e) {
        // refused below
      }
      throw new TypeConversionException("--min-rating must be 1 to 5, not '" + value + "'");
    }
  }
}
