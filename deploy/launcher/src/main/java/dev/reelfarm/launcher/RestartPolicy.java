package dev.reelfarm.launcher;

import java.time.Duration;

/**
 * When {@link FarmWatchdog} starts a crashed component again: after a capped exponential backoff
 * ({@code initialBackoff}, doubling, at most {@code maxBackoff}) counted over the crashes in a row;
 * a component that ran for {@code stableAfter} before it crashed starts a new series. A component
 * that keeps crashing is retried at the cap forever: the supervisor never gives up on it.
 */
public record RestartPolicy(Duration initialBackoff, Duration maxBackoff, Duration stableAfter) {

  /** 1 s, 2 s, 4 s, … 30 s; a minute up resets the series. */
  public static final RestartPolicy DEFAULT =
      new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

  public RestartPolicy {
    if (initialBackoff.isNegative() || initialBackoff.compareTo(maxBackoff) > 0)
      throw new IllegalArgumentException(
          "need 0 <= initial backoff <= max backoff: " + initialBackoff + ", " + maxBackoff);
  }

  /** The wait before restarting after the {@code crashesInARow}-th crash (1-based) of a series. */
  public Duration backoff(int crashesInARow) {
    if (crashesInARow < 1) throw new IllegalArgumentException("crashes must be >= 1");
    Duration wait = initialBackoff;
    for (int i = 1; i < crashesInARow && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  /** Whether that many crashes in a row have reached the cap: the component crash-loops. */
  public boolean atCap(int crashesInARow) {
    return crashesInARow >= 1 && backoff(crashesInARow).equals(maxBackoff);
  }

  /** Whether a run of {@code ranFor} before its crash counts as stable (a new series begins). */
  public boolean stable(Duration ranFor) {
    return ranFor.compareTo(stableAfter) >= 0;
  }
}
