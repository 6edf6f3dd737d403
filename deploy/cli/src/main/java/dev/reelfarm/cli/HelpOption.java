package dev.reelfarm.cli;

import picocli.CommandLine.Option;

/** {@code -h} / {@code --help} of every command (picocli prints the generated help). */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help and exit")
  boolean help;
}
