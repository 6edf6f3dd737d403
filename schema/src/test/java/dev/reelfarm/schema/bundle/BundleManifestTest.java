package dev.reelfarm.schema.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleManifestTest {

  @ParameterizedTest
  @ValueSource(strings = {"models/fixtures/tiny-random-bcfhw", "models/fixtures/tiny-random-bfchw"})
  void randomWeightFixturesAreFlaggedAsTestFixtures(String bundle) {
    assertThat(BundleManifest.read(repoPath(bundle)).testFixture()).isTrue();
  }

  @Test
  void theDefaultModelIsNoTestFixture() {
    assertThat(BundleManifest.read(repoPath("models/tiny-shapes")).testFixture()).isFalse();
  }

  @Test
  void aManifestWithoutTheFieldIsNoTestFixture(@TempDir Path dir) throws Exception {
    Path fixture = repoPath("models/fixtures/tiny-random-bfchw");
    try (Stream<Path> files = Files.walk(fixture)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          Path copy = dir.resolve(fixture.relativize(p).toString());
          Files.createDirectories(copy.getParent());
          Files.copy(p, copy);
        }
      }
    }
    Path manifest = dir.resolve(BundleManifest.FILE_NAME);
    String json = Files.readString(manifest);
    assertThat(json).contains("\"testFixture\": true,");
    Files.writeString(manifest, json.replace("\"testFixture\": true,", ""));

    assertThat(BundleManifest.read(dir).testFixture()).isFalse();
  }

  /** A directory of the repository, found from the test's working directory upwards. */
  static Path repoPath(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate.resolve(BundleManifest.FILE_NAME))) return candidate;
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
