package dev.reelfarm.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code reelfarm} command. Run by the {@code ./reelfarm} script as {@code java -jar
 * deploy/cli/target/reelfarm-launcher.jar <command> …}. To add a subcommand, write a picocli
 * {@code @Command} class and list it below; help and exit codes ({@link ExitCodes}) come with it.
 */
@Command(
    name = "reelfarm",
    synopsisHeading = "usage: ",
    customSynopsis = "reelfarm <command> [options]    (reelfarm <command> --help for details)",
    commandListHeading = "%ncommands:%n",
    footer = {
      "",
      "example:",
      "  ./reelfarm render \"a red circle moving right on a blue background\" --seconds 4 --out clip.mp4"
    },
    subcommands = {
      RenderCommand.class,
      UpCommand.class,
      StatusCommand.class,
      SeamsCommand.class,
      EvalCommand.class,
      WorkerCommand.class,
      EncoderCommand.class,
      AdminCommands.Teams.class,
      AdminCommands.Keys.class,
      FeedbackCommands.Feedback.class,
      HelpCommand.class
    })
public final class ReelfarmCli implements Callable<Integer> {

  /** Columns of the generated help. */
  private static final int HELP_WIDTH = 100;

  @CommandLine.Mixin HelpOption help;

  @Spec CommandSpec spec;

  /** Without a command: the overview, on stderr, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  public static void main(String[] argv) {
    configureLogging();
    int code = run(List.of(argv), System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line with these streams; returns the exit code. */
  public static int run(List<String> argv, PrintStream out, PrintStream err) {
    var exitCodes = new ExitCodes();
    CommandLine cli =
        new CommandLine(new ReelfarmCli(), new Factory(out, err))
            .setOut(writer(out))
            .setErr(writer(err))
            .setExitCodeExceptionMapper(exitCodes)
            .setExecutionExceptionHandler(exitCodes)
            .setParameterExceptionHandler(exitCodes)
            .setUsageHelpWidth(HELP_WIDTH);
    // A command's help starts with its usage line; its one-line header is for the command list.
    List<String> sections = new ArrayList<>(cli.getHelpSectionKeys());
    sections.removeAll(
        List.of(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER));
    cli.setHelpSectionKeys(sections);
    return cli.execute(argv.toArray(String[]::new));
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(stream, true);
  }

  /** Commands get the CLI's streams, so tests can read what a user would see. */
  private record Factory(PrintStream out, PrintStream err) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      for (var constructor : type.getDeclaredConstructors()) {
        var params = constructor.getParameterTypes();
        if (params.length == 2
            && params[0] == PrintStream.class
            && params[1] == PrintStream.class) {
          constructor.setAccessible(true);
          return type.cast(constructor.newInstance(out, err));
        }
      }
      return CommandLine.defaultFactory().create(type);
    }
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
}
