package dev.reelfarm.cli;

import dev.reelfarm.launcher.FarmConfig;
import dev.reelfarm.launcher.FarmWatchdog;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RestartPolicy;
import dev.reelfarm.launcher.StartupReport;
import dev.reelfarm.schema.config.ArtifactsConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code reelfarm up}: run and supervise the local farm until Ctrl-C. */
@Command(
    name = "up",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm up [options]",
    header = "run a local farm with the API and dashboard until Ctrl-C",
    descriptionHeading = "%n",
    description = {
      "Starts a local farm and supervises it until Ctrl-C, which stops every process it started",
      "(encoder, workers, orchestrators, Kafka, PostgreSQL). A component that dies is started",
      "again in its place with capped exponential backoff (1 s doubling to 30 s, for as long as",
      "it keeps dying); ./reelfarm status shows the restart counts and last exits. The farm",
      "directory keeps the database, the broker's data and the artifacts, so a farm started",
      "again there continues its queued and running jobs; --fresh wipes them first."
    },
    optionListHeading = "%noptions:%n",
    footer = FarmOptions.ENVIRONMENT,
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {
      "130:stopped by Ctrl-C (143: by SIGTERM)",
      "2:bad arguments",
      "3:the farm did not start"
    })
final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "the API's port on 127.0.0.1 (default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--orchestrators",
      paramLabel = "N",
      defaultValue = "1",
      converter = Converters.AtLeastOne.class,
      description =
          "orchestrator replicas on the one PostgreSQL and Kafka, the first on --port, the others"
              + " on free ports (default ${DEFAULT-VALUE})")
  int orchestrators;

  @Option(
      names = "--fresh",
      description = "wipe the farm directory's jobs, broker data and artifacts before starting")
  boolean fresh;

  @Option(
      names = "--artifacts",
      paramLabel = "fs|s3",
      defaultValue = "fs",
      converter = ArtifactStoreConverter.class,
      description =
          "where every service keeps frames, previews and videos: fs, the farm directory (default),"
              + " or s3, a bucket on S3Proxy started with the farm (on REELFARM_S3_ENDPOINT's server"
              + " instead when that is set)")
  ArtifactsConfig.Store artifacts;

  @Option(
      names = "--advertise",
      paramLabel = "HOST",
      description =
          "the address other machines reach this one at, for workers and encoders that join from"
              + " them (worker --join): the API, Kafka and S3Proxy then also listen on every"
              + " interface (PostgreSQL stays on 127.0.0.1); use on a trusted network, the broker"
              + " has no authentication. Default: everything on 127.0.0.1 only")
  String advertise;

  @Option(
      names = "--worker-bundle",
      paramLabel = "DIR",
      description =
          "one more worker that loads this model bundle instead of --model's, which stays the"
              + " default model; repeat for more (--worker-bundle A --worker-bundle B: two workers)."
              + " Requests choose with `model`; GET /api/v1/models lists them")
  List<Path> workerBundles = new ArrayList<>();

  @Mixin FarmOptions farmOptions;

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  UpCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    err.println("reelfarm: starting the local farm …");
    FarmConfig config = farmOptions.farm();
    for (Path bundle : workerBundles) {
      try {
        config.workerBundle(bundle);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--worker-bundle: " + e.getMessage());
      }
    }
    config.httpPort(port).orchestrators(orchestrators).fresh(fresh).artifacts(artifacts);
    if (advertise != null) config.advertise(advertise);
    LocalFarm farm = config.start();
    // LocalFarm's shutdown hook stops everything on Ctrl-C; this one only says so.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> err.println("\nreelfarm: stopping the farm …"), "reelfarm-up-bye"));
    FarmWatchdog.start(farm, RestartPolicy.DEFAULT);
    printBanner(farm);
    while (true) Thread.sleep(60_000); // until Ctrl-C ends the JVM through the shutdown hooks
  }

  /** {@code fs} or {@code s3}, in any case. */
  static final class ArtifactStoreConverter implements ITypeConverter<ArtifactsConfig.Store> {
    @Override
    public ArtifactsConfig.Store convert(String value) {
      try {
        return ArtifactsConfig.Store.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not fs or s3");
      }
    }
  }

  private void printBanner(LocalFarm farm) {
    String api = farm.apiBase().toString();
    out.println(
        "Reelfarm is up (start-up "
            + StartupReport.seconds(farm.startupTime())
            + ": "
            + farm.describeTimings()
            + ")");
    out.println("  API        " + api + "/api/v1/renders");
    out.println("  dashboard  " + api + "/");
    out.println("  health     " + api + "/q/health");
    if (farm.orchestrators().size() > 1) {
      out.println(
          "  replicas   " + farm.orchestrators().size() + " orchestrators: " + farm.apiBases());
    }
    int extra = workerBundles.size();
    out.println(
        "  workers    "
            + (farm.workers().size() - extra)
            + " (default model "
            + farm.modelBundle()
            + ")"
            + (extra == 0 ? "" : ", " + extra + " on " + workerBundles));
    out.println(
        "  postgres   "
            + farm.jdbcUrl()
            + (farm.dbUser() != null ? " (user " + farm.dbUser() + ")" : ""));
    out.println("  kafka      " + farm.bootstrap());
    out.println("  artifacts  " + farm.artifactStore());
    out.println("  logs       " + farm.logsDir());
    if (farm.modelIsTestFixture()) {
      out.println(
          "  WARNING    the model is the TEST FIXTURE (random weights), not the default model");
    }
    out.println("Render with: ./reelfarm render \"a red circle moving right\" --api " + api);
    out.println(
        "Join with:   ./reelfarm worker --join " + farm.joinApi() + " --token " + farm.joinToken());
    out.println("Ctrl-C stops the farm.");
    out.flush();
  }
}
