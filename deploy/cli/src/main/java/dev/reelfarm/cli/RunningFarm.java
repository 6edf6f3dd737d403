package dev.reelfarm.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** {@code --api} of the commands that talk to a farm that is already up (status, seams). */
final class RunningFarm {

  static final String DEFAULT_API = "http://127.0.0.1:8080";

  @Option(
      names = "--api",
      paramLabel = "URL",
      description = "the farm's API (default $REELFARM_API, else " + DEFAULT_API + ")")
  URI api;

  FarmApi client() {
    if (api != null) return new FarmApi(api);
    String env = System.getenv("REELFARM_API");
    return new FarmApi(URI.create(env != null && !env.isBlank() ? env : DEFAULT_API));
  }
}
