package dev.reelfarm.cli;

import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelfarm up}: run the local farm until Ctrl-C. */
@Command(
    name = "up",
    synopsisHeading = "usage: ",
    sortOptions = false,
    customSynopsis = "reelfarm up [options]",
    header = "run a local farm with the API and dashboard until Ctrl-C",
    descriptionHeading = "%n",
    description = {
      "Starts a local farm and keeps it running until Ctrl-C, which stops every process it",
      "started (encoder, workers, orchestrator, Kafka, PostgreSQL). Each start is a fresh farm."
    },
    optionListHeading = "%noptions:%n",
    footer = FarmOptions.ENVIRONMENT,
    exitCodeListHeading = "%nexit codes:%n",
    exitCodeList = {
      "0:stopped by Ctrl-C",
      "2:bad arguments",
      "3:the farm did not start",
      "4:the orchestrator or Kafka died"
    })
final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description = "the API's port on 127.0.0.1 (default ${DEFAULT-VALUE})")
  int port;

  @Mixin FarmOptions farmOptions;

  @Mixin HelpOption help;

  private final PrintStream out;
  private final PrintStream err;

  UpCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    err.println("reelfarm: starting the local farm …");
    LocalFarm farm = farmOptions.farm().httpPort(port).start();
    // LocalFarm's shutdown hook stops everything on Ctrl-C; this one only says so.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> err.println("\nreelfarm: stopping the farm …"), "reelfarm-up-bye"));
    printBanner(farm);
    return supervise(farm);
  }

  private void printBanner(LocalFarm farm) {
    String api = farm.apiBase().toString();
    out.println(
        "Reelfarm is up (start-up "
            + LocalFarm.seconds(farm.startupTime())
            + ": "
            + farm.describeTimings()
            + ")");
    out.println("  API        " + api + "/api/v1/renders");
    out.println("  dashboard  " + api + "/");
    out.println("  health     " + api + "/q/health");
    out.println("  workers    " + farm.workers().size() + " (" + farm.modelBundle() + ")");
    out.println(
        "  postgres   "
            + farm.jdbcUrl()
            + (farm.dbUser() != null ? " (user " + farm.dbUser() + ")" : ""));
    out.println("  kafka      " + farm.bootstrap());
    out.println("  logs       " + farm.logsDir());
    if (farm.modelIsTestFixture()) {
      out.println(
          "  WARNING    the model is the TEST FIXTURE (random weights), not the default model");
    }
    out.println("Render with: ./reelfarm render \"a red circle moving right\" --api " + api);
    out.println("Ctrl-C stops the farm.");
    out.flush();
  }

  /**
   * Watches the processes. A dead worker or encoder is reported and the farm keeps running (a user
   * may kill one on purpose); without the orchestrator or Kafka the farm is useless, so it is
   * stopped and the command fails.
   */
  private int supervise(LocalFarm farm) throws InterruptedException {
    var reported = new HashSet<ServiceProcess>();
    while (true) {
      Thread.sleep(1000); // Ctrl-C ends the JVM here, through LocalFarm's shutdown hook
      if (farm.isClosed()) continue; // shutting down: exits are expected
      boolean kafkaDead = farm.kafka().map(k -> !k.isAlive()).orElse(false);
      if (!farm.orchestrator().isAlive() || kafkaDead) {
        ServiceProcess dead = kafkaDead ? farm.kafka().get().process() : farm.orchestrator();
        err.println(
            "reelfarm: "
                + dead.name()
                + " exited with code "
                + dead.exitCode().orElse(-1)
                + "; stopping the farm. Log: "
                + dead.logFile());
        dead.logTail(20).forEach(line -> err.println("    | " + line));
        farm.close();
        return ExitCodes.FARM_ERROR;
      }
      for (ServiceProcess p : farm.services()) {
        if (!p.isAlive() && reported.add(p)) {
          err.println(
              "reelfarm: "
                  + p.name()
                  + " exited with code "
                  + p.exitCode().orElse(-1)
                  + " (the farm keeps running). Log: "
                  + p.logFile());
        }
      }
    }
  }
}
