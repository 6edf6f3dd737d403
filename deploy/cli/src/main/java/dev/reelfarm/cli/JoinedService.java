package dev.reelfarm.cli;

import dev.reelfarm.infra.Directories;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.RestartPolicy;
import dev.reelfarm.launcher.StartupReport;
import dev.reelfarm.schema.api.FarmJoinInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A worker or encoder that joined a farm, run in the foreground (its output is this command's) and
 * started again with {@link RestartPolicy#DEFAULT}'s backoff when it dies, until Ctrl-C or SIGTERM
 * stops it; a bad configuration (exit 2) is not retried.
 *
 * <p>The farm's settings reach the service as environment variables ({@code
 * reelfarm.kafka.bootstrap} → {@code REELFARM_KAFKA_BOOTSTRAP}), which SmallRye Config reads like
 * the properties: an object store's credentials then stay out of the process list. {@code -D}
 * properties win over them.
 */
final class JoinedService {

  private static final int BAD_CONFIGURATION = 2;
  private static final Duration STOP_GRACE = ServiceProcess.DEFAULT_STOP_GRACE;

  private final ServiceProcess.Builder builder;
  private final String name;
  private final Path tempDirectory;
  private final PrintStream err;
  private volatile ServiceProcess current;
  private volatile boolean stopping;

  private JoinedService(
      ServiceProcess.Builder builder, String name, Path tempDirectory, PrintStream err) {
    this.builder = builder;
    this.name = name;
    this.tempDirectory = tempDirectory;
    this.err = err;
  }

  /**
   * {@code jar} as service {@code name}, in the current directory, configured with the farm's Kafka
   * and artifact settings, then {@code own} (environment settings of this service), then {@code
   * properties} ({@code -D}).
   */
  static JoinedService of(
      String name,
      Path jar,
      FarmJoinInfo info,
      Map<String, String> own,
      Map<String, String> properties,
      PrintStream err) {
    var settings = new LinkedHashMap<String, String>();
    settings.put("reelfarm.kafka.bootstrap", info.kafkaBootstrap());
    settings.putAll(info.artifacts());
    settings.putAll(own);
    Path tempDirectory = ownTempDirectory(name);
    ServiceProcess.Builder builder =
        ServiceProcess.builder(name)
            .jar(jar)
            .inheritIo()
            .workingDirectory(Path.of("").toAbsolutePath())
            .ownTempDirectory(tempDirectory)
            .systemProperties(properties);
    settings.forEach((key, value) -> builder.env(environmentName(key), value));
    return new JoinedService(builder, name, tempDirectory, err);
  }

  /**
   * Under the machine's temporary directory, named after this command's pid as well as the service,
   * so two joins on one machine never share one; emptied at each restart, removed when the join
   * stops.
   */
  private static Path ownTempDirectory(String name) {
    return Path.of(System.getProperty("java.io.tmpdir"))
        .resolve("reelfarm-" + name + "-" + ProcessHandle.current().pid());
  }

  /** An environment variable of the service (e.g. {@code CUDA_VISIBLE_DEVICES}). */
  JoinedService env(String key, String value) {
    builder.env(key, value);
    return this;
  }

  /** The MicroProfile Config environment name of {@code key}: {@code a.b-c} → {@code A_B_C}. */
  static String environmentName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** Runs until stopped; returns the exit code for this command. */
  int run() throws IOException, InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "reelfarm-join-stop"));
    int crashesInARow = 0;
    while (true) {
      long started = System.nanoTime();
      current = builder.start();
      int exit = current.waitForExit();
      if (stopping) return ExitCodes.INTERRUPTED;
      if (exit == BAD_CONFIGURATION) {
        err.println("reelfarm: " + name + " refused its configuration (exit 2), see above");
        return ExitCodes.USAGE;
      }
      Duration ranFor = Duration.ofNanos(System.nanoTime() - started);
      crashesInARow = RestartPolicy.DEFAULT.stable(ranFor) ? 1 : crashesInARow + 1;
      Duration wait = RestartPolicy.DEFAULT.backoff(crashesInARow);
      err.println(
          "reelfarm: "
              + name
              + " exited with "
              + exit
              + " after "
              + StartupReport.seconds(ranFor)
              + "; starting it again in "
              + StartupReport.seconds(wait));
      Thread.sleep(wait.toMillis());
    }
  }

  private void stop() {
    stopping = true;
    ServiceProcess process = current;
    if (process != null) process.stop(STOP_GRACE);
    try {
      Directories.deleteRecursively(tempDirectory);
    } catch (IOException e) {
      err.println("reelfarm: could not remove " + tempDirectory + ": " + e);
    }
  }
}
