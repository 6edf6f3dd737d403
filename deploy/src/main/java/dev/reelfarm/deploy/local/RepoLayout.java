package dev.reelfarm.deploy.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where things are in a Reelfarm checkout: the built services, the model bundles, the default farm
 * directory. The root is {@code -Dreelfarm.home} if set, else the nearest directory at or above the
 * working directory (then above the launcher jar) that holds both {@code reelfarm} and {@code
 * pom.xml}.
 */
public record RepoLayout(Path root) {

  /** The default model, trained by models/training. */
  public static final String DEFAULT_BUNDLE = "models/tiny-shapes";

  /** Random weights with the default model's shapes: a test fixture, never the default model. */
  public static final String FIXTURE_BUNDLE = "models/fixtures/tiny-random-bcfhw";

  public static RepoLayout locate() {
    String home = System.getProperty("reelfarm.home");
    if (home != null && !home.isBlank()) return new RepoLayout(Path.of(home).toAbsolutePath());
    var tried = new ArrayList<Path>();
    Path cwd = Path.of("").toAbsolutePath();
    tried.add(cwd);
    Optional<Path> found = findUpwards(cwd);
    if (found.isEmpty()) {
      Optional<Path> codeSource = codeSource();
      codeSource.ifPresent(tried::add);
      found = codeSource.flatMap(RepoLayout::findUpwards);
    }
    return new RepoLayout(
        found.orElseThrow(
            () ->
                new IllegalStateException(
                    "cannot find the Reelfarm checkout (a directory with `reelfarm` and pom.xml)"
                        + " at or above "
                        + tried
                        + "; run from inside it or pass -Dreelfarm.home=<dir>")));
  }

  static Optional<Path> findUpwards(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("reelfarm"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> codeSource() {
    try {
      var location = RepoLayout.class.getProtectionDomain().getCodeSource().getLocation();
      return Optional.of(Path.of(location.toURI()).toAbsolutePath());
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  public Path defaultFarmDir() {
    return root.resolve(".reelfarm");
  }

  public Path orchestratorJar() {
    return root.resolve("orchestrator/target/quarkus-app/quarkus-run.jar");
  }

  public Path workerJar() {
    return root.resolve("worker/target/reelfarm-worker.jar");
  }

  public Path encoderJar() {
    return root.resolve("encoder/target/reelfarm-encoder.jar");
  }

  /** The services' artifacts that are missing, as paths relative to the root. */
  public List<String> missingServiceJars() {
    var missing = new ArrayList<String>();
    for (Path jar : List.of(orchestratorJar(), workerJar(), encoderJar())) {
      if (!Files.isRegularFile(jar)) missing.add(root.relativize(jar).toString());
    }
    return missing;
  }

  /** A bundle is a directory with a bundle.json. */
  public static boolean isBundle(Path dir) {
    return Files.isRegularFile(dir.resolve("bundle.json"));
  }

  /**
   * The bundle a farm uses when none is given: the trained default model, else the random-weights
   * test fixture (flagged by {@link ModelChoice#testFixture()}), else empty.
   */
  public Optional<ModelChoice> defaultModel() {
    Path trained = root.resolve(DEFAULT_BUNDLE);
    if (isBundle(trained)) return Optional.of(new ModelChoice(trained, false));
    Path fixture = root.resolve(FIXTURE_BUNDLE);
    if (isBundle(fixture)) return Optional.of(new ModelChoice(fixture, true));
    return Optional.empty();
  }

  /** A model bundle directory and whether it is the random-weights test fixture. */
  public record ModelChoice(Path bundle, boolean testFixture) {}
}
