package dev.reelfarm.launcher;

import dev.reelfarm.infra.ServiceStartException;
import java.nio.file.Path;
import java.util.List;

/** A model bundle directory and whether it is a random-weights test fixture. */
public record ModelChoice(Path bundle, boolean testFixture) {

  /**
   * The bundle a farm runs: {@code explicit} if given, else {@code reelfarm.model.bundle} /
   * REELFARM_MODEL_BUNDLE (when {@code useEnvironment}), else the layout's default.
   *
   * @throws ServiceStartException when the chosen directory is no bundle, or there is none
   */
  static ModelChoice choose(Path explicit, boolean useEnvironment, RepoLayout layout) {
    Path bundle = explicit;
    if (bundle == null && useEnvironment) {
      bundle =
          LauncherSettings.get(LauncherSettings.MODEL_BUNDLE)
              .map(layout.root()::resolve)
              .orElse(null);
    }
    if (bundle != null) {
      if (!RepoLayout.isBundle(bundle)) {
        throw new ServiceStartException(
            "worker", "model bundle " + bundle + " has no bundle.json", null, List.of());
      }
      Path normalized = bundle.toAbsolutePath().normalize();
      return new ModelChoice(normalized, layout.isTestFixture(normalized));
    }
    return layout
        .defaultModel()
        .orElseThrow(
            () ->
                new ServiceStartException(
                    "worker",
                    "no model bundle: neither "
                        + RepoLayout.DEFAULT_BUNDLE
                        + "/bundle.json nor the test fixture "
                        + RepoLayout.FIXTURE_BUNDLE
                        + "/bundle.json exists under "
                        + layout.root()
                        + " (pass --model <dir>)",
                    null,
                    List.of()));
  }
}
