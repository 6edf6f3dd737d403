package dev.reelfarm.orchestrator.loops;

import java.time.Duration;

/**
 * Capped exponential backoff: the pause after the n-th failure in a row is {@code first × 2^(n−1)},
 * never more than {@code max}. Pure: the loop counts its failures, this only says how long to wait.
 *
 * @param first the pause after the first failure
 * @param max the longest pause: how late a loop may notice that its database or broker is back
 */
public record Backoff(Duration first, Duration max) {
  /** What the orchestrator's loops use: 0.5 s, 1 s, 2 s, 4 s, then every 5 s. */
  public static final Backoff LOOPS = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

  public Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0)
      throw new IllegalArgumentException("backoff needs 0 < first <= max: " + first + ", " + max);
  }

  /** The pause after {@code failures} failures in a row (1 = the first). */
  public Duration pause(int failures) {
    if (failures < 1) return Duration.ZERO;
    // Past 2^20 doublings every sane first is above any sane max: stop before overflowing.
    int doublings = Math.min(failures - 1, 20);
    Duration pause = first.multipliedBy(1L << doublings);
    return pause.compareTo(max) > 0 ? max : pause;
  }
}
