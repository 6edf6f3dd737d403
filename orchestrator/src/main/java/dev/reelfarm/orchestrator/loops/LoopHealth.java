package dev.reelfarm.orchestrator.loops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * What one background loop reports about itself: whether its thread runs, and whether its rounds
 * succeed. A round that fails logs once when the loop loses its database or broker ("lost") and
 * once when it is back, never once per retry; the pause before the next try follows {@link
 * Backoff}. Health checks read it from any thread.
 */
public final class LoopHealth {
  private static final Logger LOG = Logger.getLogger(LoopHealth.class);

  /** Failures in a row from which the loop counts as down: one may be a blip. */
  static final int DOWN_AFTER = 2;

  private final String name;
  private final Backoff backoff;
  private final Clock clock;
  private volatile BooleanSupplier alive = () -> true;
  private volatile int failures;
  private volatile Instant failingSince;
  private volatile String lastError;

  public LoopHealth(String name, Backoff backoff, Clock clock) {
    this.name = name;
    this.backoff = backoff;
    this.clock = clock;
  }

  public String name() {
    return name;
  }

  /** Tells where to ask whether the loop's thread is still running. */
  public LoopHealth watching(BooleanSupplier thread) {
    this.alive = thread;
    return this;
  }

  /** A round succeeded: the loop is (back) up. */
  public synchronized void succeeded() {
    if (failures > 0) {
      LOG.infof(
          "%s: back after %d failed rounds in %d s",
          name, failures, Duration.between(failingSince, clock.instant()).toSeconds());
    }
    failures = 0;
    failingSince = null;
    lastError = null;
  }

  /** A round failed; returns how long to wait before the next one. */
  public synchronized Duration failed(Exception e) {
    String error = e.toString();
    if (failures == 0) {
      failingSince = clock.instant();
      LOG.warnf("%s: lost (%s); retrying with backoff up to %s", name, error, backoff.max());
    } else {
      LOG.debugf("%s: still failing (%d): %s", name, failures + 1, error);
    }
    failures++;
    lastError = error;
    return backoff.pause(failures);
  }

  /** The loop's state now. */
  public Status status() {
    if (!alive.getAsBoolean()) return new Status(name, false, false, "not running");
    int n = failures;
    if (n >= DOWN_AFTER) {
      long seconds = Duration.between(failingSince, clock.instant()).toSeconds();
      return new Status(
          name, true, false, "failing for " + seconds + " s (" + n + " rounds): " + lastError);
    }
    return new Status(name, true, true, "ok");
  }

  /**
   * One loop's state: {@code running} its thread is alive, {@code up} it runs and its rounds
   * succeed.
   */
  public record Status(String name, boolean running, boolean up, String detail) {
    /** A leader-only loop on a follower: running, idle, so up. */
    Status asFollower() {
      return new Status(name, true, true, "standing by (not the leader)");
    }
  }
}
