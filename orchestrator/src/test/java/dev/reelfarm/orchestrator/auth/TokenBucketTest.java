package dev.reelfarm.orchestrator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aFullBucketAllowsItsBurstThenSaysWhenTheNextTokenComes() {
    var bucket = new TokenBucket(3, 0.5, 0); // one token every 2 s
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isEqualTo(2 * SECOND);
    assertThat(bucket.tryTake(SECOND)).isEqualTo(SECOND);
    assertThat(bucket.tryTake(2 * SECOND)).isZero();
  }

  @Test
  void anIdleBucketRefillsOnlyUpToItsCapacity() {
    var bucket = new TokenBucket(2, 1, 0);
    bucket.tryTake(0);
    bucket.tryTake(0);
    long later = 3600 * SECOND;
    assertThat(bucket.tryTake(later)).isZero();
    assertThat(bucket.tryTake(later)).isZero();
    assertThat(bucket.tryTake(later)).isPositive();
  }

  @Test
  void eachKeyHasItsOwnBucketAndTheRefusalNamesTheLimit() {
    AtomicLong now = new AtomicLong();
    var limiter = new SubmitRateLimiter(2, 6, now::get); // 6 a minute: one per 10 s
    Caller a = caller();
    Caller b = caller();
    limiter.acquire(a);
    limiter.acquire(a);
    limiter.acquire(b);
    assertThatThrownBy(() -> limiter.acquire(a))
        .isInstanceOfSatisfying(
            SubmitRateLimiter.RateLimitedException.class,
            e -> assertThat(e.retryAfterSeconds()).isEqualTo(10))
        .hasMessageContaining("at most 6 submissions per minute per API key (bursts of 2)");
    now.addAndGet(10 * SECOND);
    limiter.acquire(a);
  }

  private static Caller caller() {
    return new Caller(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "t",
        java.util.EnumSet.of(dev.reelfarm.schema.api.ApiScope.SUBMIT));
  }
}
