package dev.reelfarm.schema.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundleManifestTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "models/fixtures/tiny-random-bcfhw",
        "models/fixtures/tiny-random-bfchw",
        "models/fixtures/tiny-flow-ltx",
        "models/fixtures/tiny-flow-wan"
      })
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

  @Test
  void flowFixturesDeclareTheirTemporalVaeAndNormalisation() {
    BundleManifest wan = BundleManifest.read(repoPath("models/fixtures/tiny-flow-wan"));
    BundleManifest ltx = BundleManifest.read(repoPath("models/fixtures/tiny-flow-ltx"));

    assertThat(wan.latentFrames()).isEqualTo(4);
    assertThat(wan.latentStd(0)).isPositive();
    BundleFacts wanFacts = BundleFacts.of(wan, null);
    assertThat(wanFacts.vaeTemporalScale()).isEqualTo(4);
    assertThat(wanFacts.keyframePlans()).isFalse();
    assertThat(wanFacts.contextFramesFor(2)).isEqualTo(1);
    assertThat(wanFacts.contextFramesFor(6)).isEqualTo(5);
    assertThat(ltx.latentFrames()).isEqualTo(3);
    assertThat(ltx.latentMean(3)).isZero();
    assertThat(ltx.latentStd(3)).isEqualTo(1.0);
    assertThat(ltx.denoiser().frameRateInput()).isEqualTo("frame_rate");
    assertThat(ltx.predictionType()).isEqualTo(BundleManifest.PredictionType.FLOW_PREDICTION);
  }

  @Test
  void temporalVaeAndNormalisationProblemsAreReportedNamingTheField(@TempDir Path dir)
      throws Exception {
    Path fixture = repoPath("models/fixtures/tiny-flow-wan");
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
    json = json.replace("\"framesPerChunk\": 13", "\"framesPerChunk\": 12");
    json = json.replaceAll("\"latentsStd\": \\[[^\\]]*\\]", "\"latentsStd\": [1.0, -2.0]");
    json = json.replaceAll("\"vaeEncoder\": \\{[^}]*\\},", "");
    Files.writeString(manifest, json);

    assertThatThrownBy(() -> BundleManifest.read(dir))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("framesPerChunk: must be 1 + 4·k")
        .hasMessageContaining("latentsStd: needs one number per latent channel (4)")
        .hasMessageContaining("latentsStd: every number must be finite and > 0")
        .hasMessageContaining("vaeEncoder: required when vaeTemporalScale > 1");
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
