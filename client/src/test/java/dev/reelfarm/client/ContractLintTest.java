package dev.reelfarm.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document the orchestrator's build stored (the one this module's client is generated
 * from, and the one {@code /q/openapi} serves) passes Redocly CLI's {@code recommended} rules with
 * no error. Needs Node.js 20+ with npm (the pinned CLI comes from the npm registry, see
 * src/test/js/package.json).
 */
class ContractLintTest {
  private static final Path JS = Path.of("src/test/js");
  private static final Path DOCUMENT = Path.of("../orchestrator/target/openapi/openapi.yaml");

  @Test
  void theStoredDocumentHasNoRedoclyError() throws Exception {
    assertThat(DOCUMENT).as("stored by the orchestrator's build").isRegularFile();
    // npm records what it installed in node_modules/.package-lock.json: reinstall when the lock
    // file is newer or nothing is installed yet.
    Path installed = JS.resolve("node_modules/.package-lock.json");
    if (!Files.isRegularFile(installed)
        || Files.getLastModifiedTime(JS.resolve("package-lock.json"))
                .compareTo(Files.getLastModifiedTime(installed))
            > 0) {
      Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), JS);
      assertThat(npm.exit()).as("npm ci failed:%n%s", npm.output()).isZero();
    }
    Run lint =
        run(
            List.of(
                "node",
                "node_modules/@redocly/cli/bin/cli.js",
                "lint",
                "--extends=recommended",
                "--format=json",
                DOCUMENT.toAbsolutePath().toString()),
            JS);
    String out = lint.output();
    JsonNode report = new ObjectMapper().readTree(out.substring(out.indexOf('{')));
    JsonNode totals = report.get("totals");
    StringBuilder problems = new StringBuilder();
    for (JsonNode p : report.get("problems")) {
      problems
          .append(p.get("severity").asText())
          .append(' ')
          .append(p.get("ruleId").asText())
          .append(": ")
          .append(p.get("message").asText())
          .append(" at ")
          .append(p.at("/location/0/pointer").asText())
          .append('\n');
    }
    System.out.printf(
        "Redocly recommended: %d errors, %d warnings%n%s",
        totals.get("errors").asInt(), totals.get("warnings").asInt(), problems);
    assertThat(totals.get("errors").asInt()).as("Redocly errors:%n%s", problems).isZero();
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command, Path dir) throws IOException, InterruptedException {
    Path log = Files.createTempFile("redocly", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish in 5 minutes");
      }
      return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
