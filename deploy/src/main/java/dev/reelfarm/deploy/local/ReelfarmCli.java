package dev.reelfarm.deploy.local;

import dev.reelfarm.infra.ServiceStartException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code reelfarm} command: {@code render}, {@code up}, {@code status}. Run by the {@code
 * ./reelfarm} script as {@code java -jar deploy/target/reelfarm-launcher.jar <command> …}.
 *
 * <p>Exit codes shared by all commands: 0 success, 2 bad command line, 3 the farm did not start;
 * each command's help lists its own.
 */
public final class ReelfarmCli {

  public static final int EXIT_USAGE = 2;
  public static final int EXIT_START_FAILED = 3;

  /**
   * The subcommands, in help order. Add {@code eval} and {@code embed-captions} here: a class
   * implementing {@link CliCommand}, one line each.
   */
  static List<CliCommand> commands(PrintStream out, PrintStream err) {
    return List.of(
        new RenderCommand(out, err),
        new UpCommand(out, err),
        new StatusCommand(out, err),
        new SeamsCommand(out),
        new dev.reelfarm.deploy.eval.EvalCommand(out, err));
  }

  public static void main(String[] argv) {
    configureLogging();
    int code = run(Arrays.asList(argv), System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  static int run(List<String> argv, PrintStream out, PrintStream err) {
    List<CliCommand> commands = commands(out, err);
    if (argv.isEmpty()
        || argv.get(0).equals("--help")
        || argv.get(0).equals("-h")
        || argv.get(0).equals("help")) {
      if (argv.size() > 1) {
        return commands.stream()
            .filter(c -> c.name().equals(argv.get(1)))
            .findFirst()
            .map(
                c -> {
                  out.print(c.usage());
                  return 0;
                })
            .orElseGet(() -> unknown(argv.get(1), commands, err));
      }
      printHelp(commands, argv.isEmpty() ? err : out);
      return argv.isEmpty() ? EXIT_USAGE : 0;
    }
    CliCommand command =
        commands.stream().filter(c -> c.name().equals(argv.get(0))).findFirst().orElse(null);
    if (command == null) return unknown(argv.get(0), commands, err);
    List<String> rest = argv.subList(1, argv.size());
    int endOfOptions = rest.indexOf("--");
    List<String> options = endOfOptions < 0 ? rest : rest.subList(0, endOfOptions);
    if (options.contains("--help") || options.contains("-h")) {
      out.print(command.usage());
      return 0;
    }
    try {
      return command.run(rest);
    } catch (Args.UsageException e) {
      err.println("reelfarm " + e.command() + ": " + e.getMessage());
      err.println("(reelfarm " + e.command() + " --help shows the options)");
      return EXIT_USAGE;
    } catch (ServiceStartException e) {
      err.println("reelfarm: the local farm did not start: " + e.getMessage());
      return EXIT_START_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (Exception e) {
      err.println("reelfarm " + command.name() + ": " + e);
      return RenderCommand.EXIT_FARM_ERROR;
    }
  }

  private static int unknown(String name, List<CliCommand> commands, PrintStream err) {
    err.println("reelfarm: unknown command '" + name + "'");
    printHelp(commands, err);
    return EXIT_USAGE;
  }

  private static void printHelp(List<CliCommand> commands, PrintStream to) {
    to.println("usage: reelfarm <command> [options]    (reelfarm <command> --help for details)");
    to.println();
    for (CliCommand c : commands) to.printf("  %-16s %s%n", c.name(), c.summary());
    to.println();
    to.println(
        "example: ./reelfarm render \"a red circle moving right on a blue background\" --seconds 4"
            + " --out clip.mp4");
  }

  /**
   * slf4j-simple for the launcher's own messages: short, on stderr, without the libraries' INFO
   * chatter (zonky's extraction notes, Kafka's admin-client configuration dump). Set before the
   * first logger is created; a -D on the java command line still wins.
   */
  private static void configureLogging() {
    setDefault("org.slf4j.simpleLogger.showThreadName", "false");
    setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    setDefault("org.slf4j.simpleLogger.log.io.zonky", "warn");
    setDefault("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    setDefault("org.slf4j.simpleLogger.log.kafka", "warn");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  private ReelfarmCli() {}
}
