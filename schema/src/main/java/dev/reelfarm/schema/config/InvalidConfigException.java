package dev.reelfarm.schema.config;

import io.smallrye.config.ConfigValidationException;

/** Configuration a service cannot start with; the message names each bad key and why. */
public final class InvalidConfigException extends IllegalArgumentException {

  public InvalidConfigException(String message) {
    super(message);
  }

  private InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * SmallRye reports validation problems in a {@link ConfigValidationException} somewhere in the
   * chain.
   */
  static InvalidConfigException from(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigValidationException invalid) {
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < invalid.getProblemCount(); i++) {
          if (i > 0) problems.append("; ");
          // SmallRye quotes a converter's exception with its class name: the key and reason
          // suffice.
          problems.append(
              invalid.getProblem(i).getMessage().replaceFirst("^[\\w.$]+Exception: ", ""));
        }
        return new InvalidConfigException(problems.toString(), e);
      }
    }
    return new InvalidConfigException(e.getMessage(), e);
  }
}
