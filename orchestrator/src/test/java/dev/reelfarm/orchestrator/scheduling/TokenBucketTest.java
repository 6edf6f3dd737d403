package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** A bucket whose state the test keeps, as the repository does. */
  private static final class Kept {
    private final TokenBucket rule;
    private double tokens;
    private long at;

    Kept(TokenBucket rule) {
      this.rule = rule;
      this.tokens = rule.full();
    }

    long tryTake(long now) {
      TokenBucket.Take take = rule.take(tokens, now - at);
      tokens = take.tokensLeft();
      at = Math.max(at, now);
      return take.waitNanos();
    }
  }

  @Test
  void aFullBucketAllowsItsBurstThenSaysWhenTheNextTokenComes() {
    var bucket = new Kept(new TokenBucket(3, 0.5)); // one token every 2 s
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isEqualTo(2 * SECOND);
    assertThat(bucket.tryTake(SECOND)).isEqualTo(SECOND);
    assertThat(bucket.tryTake(2 * SECOND)).isZero();
  }

  @Test
  void anIdleBucketRefillsOnlyUpToItsCapacity() {
    var bucket = new Kept(new TokenBucket(2, 1));
    bucket.tryTake(0);
    bucket.tryTake(0);
    long later = 3600 * SECOND;
    assertThat(bucket.tryTake(later)).isZero();
    assertThat(bucket.tryTake(later)).isZero();
    assertThat(bucket.tryTake(later)).isPositive();
  }

  @Test
  void aClockBehindTheLastTakeRefillsNothingAndNeverTakesAToken() {
    var rule = new TokenBucket(1, 1);
    TokenBucket.Take take = rule.take(0.5, -SECOND);
    assertThat(take.taken()).isFalse();
    assertThat(take.tokensLeft()).isEqualTo(0.5);
    assertThat(take.waitNanos()).isEqualTo(SECOND / 2);
  }

  @Test
  void aBucketNeedsACapacityAndARate() {
    assertThatThrownBy(() -> new TokenBucket(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
