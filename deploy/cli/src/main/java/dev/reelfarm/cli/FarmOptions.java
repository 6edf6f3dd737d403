package dev.reelfarm.cli;

import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.LocalFarm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of every command that starts a local farm ({@code render}, {@code up}, {@code eval})
 * and the {@link FarmConfig} they describe. A {@code @Mixin}: the commands share the names, the
 * defaults and the help.
 */
final class FarmOptions {

  /** Help footer of the commands that start a farm: the environment the launcher reads. */
  static final String ENVIRONMENT =
      "%nenvironment: REELFARM_DB_URL (with REELFARM_DB_USER, REELFARM_DB_PASSWORD) and%n"
          + "  REELFARM_KAFKA_BOOTSTRAP use external servers instead of the embedded ones;%n"
          + "  REELFARM_MODEL_BUNDLE picks the model.";

  @Option(
      names = "--workers",
      paramLabel = "N",
      defaultValue = "1",
      converter = Converters.AtLeastOne.class,
      description = "worker processes (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--worker-threads",
      paramLabel = "N",
      defaultValue = "1",
      converter = Converters.AtLeastOne.class,
      description = "ONNX Runtime threads of each worker (default ${DEFAULT-VALUE})")
  int workerThreads;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description = "model bundle (default models/tiny-shapes, else the test fixture)")
  Path model;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description =
          "farm directory: state and logs (default .reelfarm); up keeps the state unless --fresh,"
              + " render and eval wipe it at start")
  Path dir;

  @Option(
      names = "-D",
      paramLabel = "key=value",
      mapFallbackValue = "true",
      description =
          "a system property for every service, written -Dkey=value (-Dquarkus.log.level=DEBUG);"
              + " a reelfarm.worker.* or reelfarm.encoder.* key goes to that service alone")
  Map<String, String> serviceProperties = new LinkedHashMap<>();

  /** A farm configuration from these options. */
  FarmConfig farm() {
    FarmConfig config = LocalFarm.builder().workers(workers).workerThreads(workerThreads);
    if (model != null) config.modelBundle(model.toAbsolutePath());
    if (dir != null) config.dir(dir);
    serviceProperties.forEach(config::serviceProperty);
    return config;
  }
}
