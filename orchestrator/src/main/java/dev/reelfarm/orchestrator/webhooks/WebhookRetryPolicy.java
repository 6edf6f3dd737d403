package dev.reelfarm.orchestrator.webhooks;

import dev.reelfarm.orchestrator.loops.Backoff;
import java.time.Duration;
import java.time.Instant;

/**
 * When a failed webhook delivery is tried again, and when it is given up. The wait after the n-th
 * failed attempt is the capped exponential {@link Backoff} with "equal jitter": between half and
 * all of it, so receivers that came back at once are not hit by every farm in step, and no wait
 * collapses to zero. Pure: the caller passes the random number.
 *
 * @param maxAttempts attempts before a delivery is given up
 * @param maxAge how long after its event a delivery may still be tried
 */
public record WebhookRetryPolicy(Backoff backoff, int maxAttempts, Duration maxAge) {

  public WebhookRetryPolicy {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
  }

  /** What to do after attempt {@code attempts} of a delivery created at {@code createdAt}. */
  public sealed interface Decision {}

  /** Try again at {@code at}. */
  public record RetryAt(Instant at) implements Decision {}

  /** Stop trying: {@code reason} says why. */
  public record GiveUp(String reason) implements Decision {}

  /**
   * After a failed attempt: retry with backoff, or give up when the attempts are spent or the next
   * try would be past the delivery's age limit.
   *
   * @param random uniform in [0, 1)
   */
  public Decision afterFailure(int attempts, Instant createdAt, Instant now, double random) {
    if (attempts >= maxAttempts) return new GiveUp("gave up after " + attempts + " attempts");
    Instant next = now.plus(pause(attempts, random));
    if (next.isAfter(createdAt.plus(maxAge)))
      return new GiveUp("gave up: older than " + maxAge.toHours() + " h");
    return new RetryAt(next);
  }

  /** The wait after {@code attempts} failed attempts in a row (1 = the first). */
  public Duration pause(int attempts, double random) {
    if (random < 0 || random >= 1) throw new IllegalArgumentException("random must be in [0, 1)");
    long full = backoff.pause(attempts).toMillis();
    return Duration.ofMillis(full - (long) (full / 2.0 * random));
  }
}
