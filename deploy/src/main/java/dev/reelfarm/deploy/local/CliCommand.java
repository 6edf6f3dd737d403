package dev.reelfarm.deploy.local;

import dev.reelfarm.infra.ServiceStartException;
import java.util.List;

/**
 * One {@code reelfarm <name>} subcommand. To add one (e.g. {@code eval}, {@code embed-captions}),
 * implement this and list it in {@link ReelfarmCli#commands()}; {@code --help} and usage errors are
 * handled by the CLI.
 */
public interface CliCommand {

  /** The word after {@code reelfarm}. */
  String name();

  /** One line for {@code reelfarm --help}. */
  String summary();

  /** The full text for {@code reelfarm <name> --help}, starting with the usage line. */
  String usage();

  /**
   * Runs the command. Throw {@link Args.UsageException} for a wrong command line (exit 2) and
   * {@link ServiceStartException} when the farm does not start (exit 3).
   *
   * @param argv the arguments after the command name, {@code --help} already handled
   * @return the process exit code
   */
  int run(List<String> argv) throws Exception;
}
