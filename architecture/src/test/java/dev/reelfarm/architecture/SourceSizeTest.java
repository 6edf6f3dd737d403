package dev.reelfarm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A main class that outgrows 400 lines does several jobs: split it before it lands. */
class SourceSizeTest {
  private static final int MAX_LINES = 400;

  /** This module's directory is the working directory of its tests; the repository is above. */
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @Test
  void noMainClassIsOver400Lines() throws IOException {
    List<Path> sources;
    try (Stream<Path> files = Files.walk(REPOSITORY)) {
      sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> REPOSITORY.relativize(p).toString().contains("src/main/java/"))
              .filter(
                  p ->
                      !p.toString().contains("/target/")
                          && !p.toString().contains("/node_modules/"))
              .toList();
    }
    assertThat(sources).as("main sources found under %s", REPOSITORY).hasSizeGreaterThan(100);
    List<String> tooLong =
        sources.stream()
            .filter(p -> lines(p) > MAX_LINES)
            .map(p -> REPOSITORY.relativize(p) + " (" + lines(p) + " lines)")
            .toList();
    assertThat(tooLong).as("main classes over %d lines", MAX_LINES).isEmpty();
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
