package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own exposition lint, {@code promtool check metrics} (Debian package {@code
 * prometheus}; {@code .ci/run} installs it). Without promtool a check fails, naming what to
 * install; only {@code -Dreelfarm.promtool.skip=true} outside CI (no {@code CI} variable) skips it
 * instead, so it can never pass unchecked where the suite is meant to be complete.
 */
final class Promtool {
  private static final Path PROMTOOL =
      Path.of(System.getenv().getOrDefault("PROMTOOL", "/usr/bin/promtool"));
  static final String INSTALL_HINT =
      "promtool checks the metrics expositions: install it (apt-get install -y prometheus; .ci/run"
          + " does) or, outside CI only, skip the check with -Dreelfarm.promtool.skip=true";

  /** Fails (or, when explicitly allowed, skips) unless promtool can run here. */
  static void require() {
    if (Files.isExecutable(PROMTOOL)) return;
    boolean skipAllowed =
        Boolean.getBoolean("reelfarm.promtool.skip") && System.getenv("CI") == null;
    Assumptions.assumeFalse(
        skipAllowed, "skipped on request: no " + PROMTOOL + ". " + INSTALL_HINT);
    throw new AssertionError("no " + PROMTOOL + ". " + INSTALL_HINT);
  }

  /** Asserts that promtool finds no problem in {@code exposition} (named {@code what}). */
  static void assertClean(String what, String exposition) throws Exception {
    require();
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // promtool stopped reading: its output says why
    }
    String findings = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(findings).as("promtool check metrics on %s", what).isEmpty();
    assertThat(p.exitValue()).as("promtool's exit status on %s: %s", what, findings).isZero();
  }

  private Promtool() {}
}
