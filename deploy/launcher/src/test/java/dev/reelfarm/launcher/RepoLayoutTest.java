package dev.reelfarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoLayoutTest {

  @TempDir Path root;

  @Test
  void theRootIsTheNearestDirectoryWithTheScriptAndAPom() throws Exception {
    Files.writeString(root.resolve("reelfarm"), "");
    Files.writeString(root.resolve("pom.xml"), "");
    Path deep = Files.createDirectories(root.resolve("deploy/src/main"));
    Files.writeString(root.resolve("deploy/pom.xml"), ""); // a module pom alone is not the root
    assertThat(RepoLayout.findUpwards(deep)).contains(root);
  }

  @Test
  void theTrainedModelIsPreferredAndTheFixtureIsFlagged() throws Exception {
    var layout = new RepoLayout(root);
    assertThat(layout.defaultModel()).isEmpty();

    Path fixture = Files.createDirectories(root.resolve(RepoLayout.FIXTURE_BUNDLE));
    Files.writeString(fixture.resolve("bundle.json"), FIXTURE_MANIFEST);
    assertThat(layout.defaultModel()).contains(new ModelChoice(fixture, true));

    Path trained = Files.createDirectories(root.resolve(RepoLayout.DEFAULT_BUNDLE));
    assertThat(layout.defaultModel())
        .contains(new ModelChoice(fixture, true)); // no bundle.json yet
    Files.writeString(trained.resolve("bundle.json"), "{}");
    assertThat(layout.defaultModel()).contains(new ModelChoice(trained, false));
  }

  @Test
  void missingServiceJarsAreListedRelativeToTheRoot() throws Exception {
    var layout = new RepoLayout(root);
    Files.createDirectories(layout.workerJar().getParent());
    Files.writeString(layout.workerJar(), "");
    assertThat(layout.missingServiceJars())
        .containsExactly(
            "orchestrator/target/quarkus-app/quarkus-run.jar",
            "encoder/target/reelfarm-encoder.jar");
  }

  @Test
  void aBundleIsATestFixtureWhenItsManifestSaysSoWhereverItLies() throws Exception {
    var layout = new RepoLayout(root);
    Path other = Files.createDirectories(root.resolve("models/fixtures/tiny-random-other"));
    Files.writeString(other.resolve("bundle.json"), FIXTURE_MANIFEST);
    Path trainedInFixtures = Files.createDirectories(root.resolve("models/fixtures/trained-copy"));
    Files.writeString(trainedInFixtures.resolve("bundle.json"), "{\"name\": \"copy\"}");
    Path fixtureElsewhere = Files.createDirectories(root.resolve("elsewhere/fixture"));
    Files.writeString(fixtureElsewhere.resolve("bundle.json"), FIXTURE_MANIFEST);
    Files.createDirectories(root.resolve("models/fixtures/not-a-bundle"));

    assertThat(layout.isTestFixture(other)).isTrue();
    assertThat(layout.isTestFixture(fixtureElsewhere)).isTrue();
    assertThat(layout.isTestFixture(trainedInFixtures)).isFalse();
    assertThat(layout.isTestFixture(root.resolve(RepoLayout.DEFAULT_BUNDLE))).isFalse();
    assertThat(layout.testFixtureBundles()).containsExactly(other);
  }

  private static final String FIXTURE_MANIFEST =
      "{\"name\": \"tiny-random\", \"testFixture\": true}";
}
