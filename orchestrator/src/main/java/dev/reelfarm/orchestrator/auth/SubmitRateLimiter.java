package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The per-key limit on submissions: a {@link TokenBucket} per key, in this replica's memory (with N
 * replicas behind a balancer a key gets up to N times the rate; documented).
 */
@ApplicationScoped
public class SubmitRateLimiter {
  private final int burst;
  private final int perMinute;
  private final LongSupplier clock;
  private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();

  @Inject
  public SubmitRateLimiter(ReelfarmConfig config) {
    this(config.auth().submitBurst(), config.auth().submitPerMinute(), System::nanoTime);
  }

  public SubmitRateLimiter(int burst, int perMinute, LongSupplier clock) {
    this.burst = burst;
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /**
   * Takes one submission of {@code caller}'s key.
   *
   * @throws RateLimitedException when its bucket is empty, naming the limit and when to retry
   */
  public void acquire(Caller caller) {
    UUID key = caller.keyId() != null ? caller.keyId() : caller.teamId();
    long now = clock.getAsLong();
    long waitNanos =
        buckets
            .computeIfAbsent(key, k -> new TokenBucket(burst, perMinute / 60.0, now))
            .tryTake(now);
    if (waitNanos > 0) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
      throw new RateLimitedException(
          seconds,
          "rate limit: at most "
              + perMinute
              + " submissions per minute per API key (bursts of "
              + burst
              + "); retry in "
              + seconds
              + " s");
    }
  }

  /** A request over a limit: 429 with {@code Retry-After}. */
  public static final class RateLimitedException extends RuntimeException {
    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds, String message) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }
}
