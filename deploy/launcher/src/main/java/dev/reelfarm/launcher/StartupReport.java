package dev.reelfarm.launcher;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How the launcher prints start-up times. */
public final class StartupReport {
  private StartupReport() {}

  /** A duration as the launcher prints it: {@code 12.3 s}. */
  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** Each component's start-up time, in start order, without the total. */
  static String describe(Map<String, Duration> timings) {
    return timings.entrySet().stream()
        .filter(e -> !e.getKey().equals("total"))
        .map(e -> e.getKey() + ' ' + seconds(e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
