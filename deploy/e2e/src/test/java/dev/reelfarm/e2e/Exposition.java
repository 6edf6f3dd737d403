package dev.reelfarm.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Prometheus text exposition read back: each series ({@code name{labels}}) and its value. */
record Exposition(String text, Map<String, Double> series) {

  static Exposition parse(String text) {
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      // The simpleclient's format ends a label set with a comma: {state="DONE",}
      String name = line.substring(0, space).replace(",}", "}");
      series.put(name, Double.parseDouble(line.substring(space + 1)));
    }
    return new Exposition(text, series);
  }

  /** The value of exactly {@code series} (e.g. {@code reelfarm_jobs{state="QUEUED"}}), or NaN. */
  double value(String series) {
    return this.series.getOrDefault(series, Double.NaN);
  }

  /** The sum of every series of metric {@code name}, whatever its labels (0 when none). */
  double sum(String name) {
    return series.entrySet().stream()
        .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** How many series metric {@code name} has. */
  long count(String name) {
    return series.keySet().stream().filter(k -> k.equals(name) || k.startsWith(name + "{")).count();
  }
}
