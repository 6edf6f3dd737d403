package dev.reelfarm.launcher;

import dev.reelfarm.infra.ServiceStartException;
import dev.reelfarm.schema.bundle.BundleManifest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

  /**
   * @throws ServiceStartException naming the first service whose jar is missing, and how to build
   */
  void requireServiceJars() {
    List<String> missing = missingServiceJars();
    if (!missing.isEmpty()) {
      throw new ServiceStartException(
          missing.get(0).substring(0, missing.get(0).indexOf('/')),
          "not built: "
              + String.join(", ", missing)
              + " missing. Run ./mvnw -B install -DskipTests in "
              + root
              + " (./reelfarm builds what is missing by itself)",
          null,
          List.of());
    }
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
    for (String candidate : List.of(DEFAULT_BUNDLE, FIXTURE_BUNDLE)) {
      Path bundle = root.resolve(candidate);
      if (isBundle(bundle)) return Optional.of(new ModelChoice(bundle, isTestFixture(bundle)));
    }
    return Optional.empty();
  }

  /**
   * Whether {@code bundle} is a random-weights test fixture, not a trained model: its bundle.json
   * says so ({@code "testFixture": true}). The one place the launcher, the CLI and the eval ask.
   */
  public boolean isTestFixture(Path bundle) {
    return BundleManifest.declaresTestFixture(bundle);
  }

  /** The test-fixture bundles of this checkout, to recognise one by name behind --api. */
  public List<Path> testFixtureBundles() {
    var bundles = new ArrayList<Path>();
    try (Stream<Path> dirs = Files.list(fixturesDir())) {
      dirs.filter(RepoLayout::isBundle).filter(this::isTestFixture).sorted().forEach(bundles::add);
    } catch (IOException e) {
      // No fixtures directory (or an unreadable one): no fixture to recognise.
    }
    return bundles;
  }

  private Path fixturesDir() {
    return root.resolve(FIXTURE_BUNDLE).getParent().toAbsolutePath().normalize();
  }
}
