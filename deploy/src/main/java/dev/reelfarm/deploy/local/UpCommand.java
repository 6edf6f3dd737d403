package dev.reelfarm.deploy.local;

import dev.reelfarm.infra.ServiceProcess;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code reelfarm up}: run the local farm until Ctrl-C. */
final class UpCommand implements CliCommand {

  private final PrintStream out;
  private final PrintStream err;

  UpCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "up";
  }

  @Override
  public String summary() {
    return "run a local farm with the API and dashboard until Ctrl-C";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: reelfarm up [options]",
        "",
        "Starts a local farm and keeps it running until Ctrl-C, which stops every process it",
        "started (encoder, workers, orchestrator, Kafka, PostgreSQL). Each start is a fresh"
            + " farm.",
        "",
        "options:",
        "  --port N           the API's port on 127.0.0.1 (default 8080)",
        FarmOptions.HELP,
        "exit codes: 0 stopped by Ctrl-C, 2 bad arguments, 3 the farm did not start,",
        "            4 the orchestrator or Kafka died",
        "");
  }

  @Override
  public int run(List<String> argv) throws Exception {
    Args args = Args.parse(name(), argv, FarmOptions.valueOptionsWith("port"), Set.of());
    if (!args.positionals().isEmpty()) {
      throw new Args.UsageException(name(), "unexpected argument " + args.positionals().get(0));
    }
    err.println("reelfarm: starting the local farm …");
    LocalFarm farm = FarmOptions.farmBuilder(args).httpPort(args.integer("port", 8080)).start();
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
        return RenderCommand.EXIT_FARM_ERROR;
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
