package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.launcher.RepoLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The domain packages (planning, diffusion math, stitching) stay free of frameworks and I/O
 * adapters: they import only the JDK and their own package, so they are fast to test and easy to
 * reuse.
 */
class DomainPurityTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orchestrator/src/main/java/dev/reelfarm/orchestrator/planning",
        "worker/src/main/java/dev/reelfarm/worker/diffusion",
        "encoder/src/main/java/dev/reelfarm/encoder/stitching"
      })
  void domainPackageImportsOnlyTheJdkAndItself(String dir) throws IOException {
    Path root = RepoLayout.locate().root().resolve(dir);
    String ownPackage = dir.substring(dir.indexOf("dev/reelfarm")).replace('/', '.');
    List<String> imports;
    try (Stream<Path> files = Files.list(root)) {
      imports =
          files.filter(f -> f.toString().endsWith(".java"))
              .flatMap(DomainPurityTest::lines)
              .filter(line -> line.startsWith("import "))
              .filter(line -> !line.matches("import (static )?java\\..*") && !line.contains(ownPackage))
              .toList();
    }

    assertThat(root).isDirectory();
    assertThat(imports).as("imports of %s beyond the JDK", dir).isEmpty();
  }

  private static Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream().map(String::trim);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
