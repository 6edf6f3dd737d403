package dev.reelfarm.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of {@code worker --join} and {@code encoder --join}: which farm, with what token. */
final class JoinOptions {

  @Option(
      names = "--join",
      required = true,
      paramLabel = "URL",
      description = "the farm's orchestrator, e.g. http://10.0.0.5:8080")
  URI api;

  @Option(
      names = "--token",
      paramLabel = "T",
      defaultValue = "${env:REELFARM_JOIN_TOKEN}",
      description =
          "the farm's join token (./reelfarm up prints it; default: $REELFARM_JOIN_TOKEN, which"
              + " keeps it out of the process list)")
  String token;

  @Option(
      names = "--id",
      paramLabel = "NAME",
      description = "this service's name in the farm (default: <role>-<host>-<pid>)")
  String id;

  @Option(
      names = "-D",
      paramLabel = "key=value",
      mapFallbackValue = "true",
      description =
          "a system property for the service, over the farm's settings"
              + " (-Dreelfarm.worker.http-port=0)")
  Map<String, String> properties = new LinkedHashMap<>();

  /** {@code --id}, else {@code <role>-<host>-<pid>}: unique across the hosts of a farm. */
  String idOr(String role) {
    if (id != null && !id.isBlank()) return id;
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "host";
    }
    return role + "-" + host + "-" + ProcessHandle.current().pid();
  }
}
