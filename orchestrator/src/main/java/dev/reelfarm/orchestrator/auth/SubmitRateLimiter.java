package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RateBuckets;
import dev.reelfarm.orchestrator.scheduling.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The per-key limit on submissions: a {@link TokenBucket} per key (per team for a caller without
 * one), kept in PostgreSQL so every replica spends the same bucket. Time is this replica's clock;
 * replicas' clocks that disagree by milliseconds change a refill by as much, never below zero.
 */
@ApplicationScoped
public class SubmitRateLimiter {
  private final Database db;
  private final RateBuckets buckets;
  private final TokenBucket rule;
  private final int perMinute;
  private final InstantSource clock;

  @Inject
  public SubmitRateLimiter(ReelfarmConfig config, Database db, RateBuckets buckets) {
    this(
        db,
        buckets,
        config.auth().submitBurst(),
        config.auth().submitPerMinute(),
        InstantSource.system());
  }

  public SubmitRateLimiter(
      Database db, RateBuckets buckets, int burst, int perMinute, InstantSource clock) {
    this.db = db;
    this.buckets = buckets;
    this.rule = new TokenBucket(burst, perMinute / 60.0);
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /**
   * Takes one submission of {@code caller}'s key, in a transaction of its own (a refused request
   * stores nothing else).
   *
   * @throws RateLimitedException when its bucket is empty, naming the limit and when to retry
   */
  public void acquire(Caller caller) {
    UUID subject = caller.keyId() != null ? caller.keyId() : caller.teamId();
    TokenBucket.Take take =
        db.inTransaction(
            c -> {
              Instant now = clock.instant();
              RateBuckets.Bucket bucket = buckets.lock(c, subject, rule.full(), now);
              TokenBucket.Take t =
                  rule.take(bucket.tokens(), Duration.between(bucket.refilledAt(), now).toNanos());
              buckets.store(c, subject, t.tokensLeft(), now);
              return t;
            });
    if (!take.taken()) {
      long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(take.waitNanos() + 999_999_999L));
      throw new RateLimitedException(
          seconds,
          "rate limit: at most "
              + perMinute
              + " submissions per minute per API key (bursts of "
              + rule.capacity()
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
