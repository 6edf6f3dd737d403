package dev.reelfarm.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --api} of the commands that talk to a farm that is already up (status, seams). */
final class RunningFarm {

  static final String DEFAULT_API = "http://127.0.0.1:8080";

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "the farm's API (default $REELFARM_API, else " + DEFAULT_API + ")")
  URI api;

  /** The farm's API with the key of $REELFARM_API_KEY, else the local farm's in {@code dir}. */
  FarmApi client(Path dir) {
    if (api != null) return FarmApi.forRunningFarm(api, dir);
    String env = System.getenv("REELFARM_API");
    return FarmApi.forRunningFarm(
        URI.create(env != null && !env.isBlank() ? env : DEFAULT_API), dir);
  }
}
