package dev.reelfarm.deploy.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments of one subcommand: {@code --name value}, {@code --name=value},
 * flags ({@code --name}), {@code -Dkey=value} system properties for the services, and positionals.
 * A token after {@code --} is always positional.
 */
public final class Args {

  private final String command;
  private final Map<String, String> options = new LinkedHashMap<>();
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final List<String> positionals = new ArrayList<>();

  private Args(String command) {
    this.command = command;
  }

  /**
   * @param valueOptions option names (without {@code --}) that take a value
   * @param flags option names that take none
   * @throws UsageException on an unknown option or a missing value
   */
  public static Args parse(
      String command, List<String> argv, Set<String> valueOptions, Set<String> flags) {
    var args = new Args(command);
    boolean onlyPositionals = false;
    for (int i = 0; i < argv.size(); i++) {
      String token = argv.get(i);
      if (onlyPositionals || !token.startsWith("-") || token.equals("-")) {
        args.positionals.add(token);
      } else if (token.equals("--")) {
        onlyPositionals = true;
      } else if (token.startsWith("-D") && token.length() > 2) {
        int eq = token.indexOf('=');
        if (eq < 0) args.properties.put(token.substring(2), "true");
        else args.properties.put(token.substring(2, eq), token.substring(eq + 1));
      } else if (token.startsWith("--")) {
        String name = token.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (valueOptions.contains(name)) {
          if (value == null) {
            if (i + 1 >= argv.size())
              throw new UsageException(command, "--" + name + " needs a value");
            value = argv.get(++i);
          }
          args.options.put(name, value);
        } else if (flags.contains(name)) {
          if (value != null) throw new UsageException(command, "--" + name + " takes no value");
          args.options.put(name, "true");
        } else {
          throw new UsageException(command, "unknown option --" + name);
        }
      } else {
        throw new UsageException(command, "unknown option " + token);
      }
    }
    return args;
  }

  /** The subcommand these arguments belong to. */
  public String command() {
    return command;
  }

  public List<String> positionals() {
    return positionals;
  }

  /** {@code -Dkey=value} arguments, passed on to the services. */
  public Map<String, String> properties() {
    return properties;
  }

  public boolean has(String name) {
    return options.containsKey(name);
  }

  public String string(String name, String defaultValue) {
    return options.getOrDefault(name, defaultValue);
  }

  public Integer integer(String name, Integer defaultValue) {
    String v = options.get(name);
    if (v == null) return defaultValue;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(command, "--" + name + " must be an integer, got '" + v + "'");
    }
  }

  public Long longValue(String name, Long defaultValue) {
    String v = options.get(name);
    if (v == null) return defaultValue;
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(command, "--" + name + " must be an integer, got '" + v + "'");
    }
  }

  public Double decimal(String name, Double defaultValue) {
    String v = options.get(name);
    if (v == null) return defaultValue;
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException(command, "--" + name + " must be a number, got '" + v + "'");
    }
  }

  /** A wrong command line: the CLI prints the message and the command's usage, and exits 2. */
  public static final class UsageException extends RuntimeException {
    private final String command;

    public UsageException(String command, String message) {
      super(message);
      this.command = command;
    }

    public String command() {
      return command;
    }
  }
}
