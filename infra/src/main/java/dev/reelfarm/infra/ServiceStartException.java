package dev.reelfarm.infra;

import java.nio.file.Path;
import java.util.List;

/**
 * A farm component did not become ready: it is missing, it exited, or it timed out. The message
 * names the component and carries the tail of its log so a user sees the cause without digging.
 */
public final class ServiceStartException extends RuntimeException {

  private final String component;
  private final Path logFile;
  private final List<String> logTail;

  public ServiceStartException(
      String component, String reason, Path logFile, List<String> logTail) {
    this(component, reason, logFile, logTail, null);
  }

  public ServiceStartException(
      String component, String reason, Path logFile, List<String> logTail, Throwable cause) {
    super(format(component, reason, logFile, logTail), cause);
    this.component = component;
    this.logFile = logFile;
    this.logTail = List.copyOf(logTail);
  }

  /** The component that failed: {@code postgres}, {@code kafka}, {@code orchestrator}, … */
  public String component() {
    return component;
  }

  /** Its log file, or null when it failed before it had one. */
  public Path logFile() {
    return logFile;
  }

  public List<String> logTail() {
    return logTail;
  }

  private static String format(String component, String reason, Path logFile, List<String> tail) {
    var sb = new StringBuilder(component).append(" failed to start: ").append(reason);
    if (logFile != null) sb.append("\n  log: ").append(logFile);
    if (!tail.isEmpty()) {
      sb.append("\n  last ").append(tail.size()).append(" log lines:");
      for (String line : tail) sb.append("\n    | ").append(line);
    }
    return sb.toString();
  }
}
