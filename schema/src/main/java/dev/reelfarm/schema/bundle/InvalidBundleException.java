package dev.reelfarm.schema.bundle;

import java.nio.file.Path;
import java.util.List;

/** A bundle the worker refuses to load, with every reason. */
public final class InvalidBundleException extends RuntimeException {
  private final List<String> problems;

  public InvalidBundleException(Path dir, List<String> problems) {
    super("invalid model bundle " + dir + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
