package dev.reelfarm.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One supervised component's restart record and the decision when to start it again, under a {@link
 * RestartPolicy}. Pure: the caller passes the clock's time and says what it saw.
 */
final class RestartTracker {

  private final RestartPolicy policy;
  private int restarts;
  private int crashesInARow;
  private Instant upSince;
  private Instant nextAttempt;
  private String lastExit;

  /** A component that was started (and found ready) at {@code now}. */
  RestartTracker(RestartPolicy policy, Instant now) {
    this.policy = policy;
    this.upSince = now;
  }

  /**
   * The component was found dead at {@code now} (with its exit code, when it was our child).
   * Returns the wait until it is restarted.
   */
  Duration exited(Instant now, OptionalInt exitCode) {
    boolean stable = upSince != null && policy.stable(Duration.between(upSince, now));
    crashesInARow = stable ? 1 : crashesInARow + 1;
    upSince = null;
    lastExit = (exitCode.isPresent() ? "code " + exitCode.getAsInt() : "died") + " at " + now;
    return schedule(now);
  }

  /** A restart begins now: counted whether or not it succeeds. */
  void restarting() {
    restarts++;
    nextAttempt = null;
  }

  /** The restart got the component ready at {@code now}. */
  void restarted(Instant now) {
    upSince = now;
  }

  /** The restart did not get it ready; returns the wait until the next try. */
  Duration restartFailed(Instant now) {
    crashesInARow++;
    return schedule(now);
  }

  private Duration schedule(Instant now) {
    Duration wait = policy.backoff(crashesInARow);
    nextAttempt = now.plus(wait);
    return wait;
  }

  /** Whether a restart is due at {@code now}. */
  boolean due(Instant now) {
    return nextAttempt != null && !now.isBefore(nextAttempt);
  }

  /** Whether the component is down and waiting for its restart. */
  boolean waiting() {
    return nextAttempt != null;
  }

  /** Whether the crashes in a row have pushed the backoff to its cap. */
  boolean crashLooping() {
    return policy.atCap(crashesInARow);
  }

  int restarts() {
    return restarts;
  }

  int crashesInARow() {
    return crashesInARow;
  }

  /** E.g. {@code code 137 at 2026-12-01T23:40:19Z}; empty before the first exit. */
  Optional<String> lastExit() {
    return Optional.ofNullable(lastExit);
  }
}
