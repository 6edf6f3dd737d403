package dev.reelfarm.orchestrator.messaging;

import dev.reelfarm.orchestrator.persistence.Database;
import java.time.Duration;
import java.util.Optional;

/**
 * When {@link EventConsumer} tries a record that decoded but failed to apply again: after a
 * database failure always (an event must not be lost, and the database comes back), after any other
 * failure a bounded number of times (then the record is dead-lettered, so the others go on). One
 * instance per record.
 */
final class ApplyRetries {
  /** First pause after a database failure, doubled up to {@link #DB_RETRY_MAX}. */
  static final Duration DB_RETRY_FIRST = Duration.ofSeconds(1);

  /** A database back after an outage is noticed within this long; fewer log lines meanwhile. */
  static final Duration DB_RETRY_MAX = Duration.ofSeconds(30);

  /**
   * Tries of a record that fails for another reason (a bug, a state the lifecycle refuses): a few,
   * in case it was a race, then it is dead-lettered.
   */
  static final int APPLY_ATTEMPTS = 3;

  /** Pause before the first retry of such a record, doubled each retry (200 + 400 ms in all). */
  static final Duration APPLY_RETRY_FIRST = Duration.ofMillis(200);

  private Duration dbPause = DB_RETRY_FIRST;
  private Duration pause = APPLY_RETRY_FIRST;
  private int failures;

  /** The pause before the next try, or empty when the record is to be dead-lettered. */
  Optional<Duration> after(RuntimeException failure) {
    if (failure instanceof Database.PersistenceException) {
      Duration next = dbPause;
      dbPause = min(dbPause.multipliedBy(2), DB_RETRY_MAX);
      return Optional.of(next);
    }
    if (++failures >= APPLY_ATTEMPTS) return Optional.empty();
    Duration next = pause;
    pause = pause.multipliedBy(2);
    return Optional.of(next);
  }

  /** Failures other than the database's so far: the tries that counted. */
  int failures() {
    return failures;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
