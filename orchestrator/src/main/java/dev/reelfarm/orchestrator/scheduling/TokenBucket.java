package dev.reelfarm.orchestrator.scheduling;

/**
 * A token bucket's rule: {@code capacity} tokens at most, refilled continuously at {@code
 * perSecond}; a request takes one. Pure: the bucket's state (tokens left, when) is the caller's to
 * keep, so replicas can share it.
 */
public record TokenBucket(int capacity, double perSecond) {
  public TokenBucket {
    if (capacity < 1 || perSecond <= 0)
      throw new IllegalArgumentException("a bucket needs capacity >= 1 and a positive rate");
  }

  /**
   * What a request finds: the tokens left after it, and 0 when it took one, else the nanoseconds
   * until the next token.
   */
  public record Take(double tokensLeft, long waitNanos) {
    public boolean taken() {
      return waitNanos == 0;
    }
  }

  /** A bucket never used: full. */
  public double full() {
    return capacity;
  }

  /**
   * A request {@code elapsedNanos} after the bucket held {@code tokens} (a negative interval, from
   * clocks of two replicas that disagree a little, counts as none).
   */
  public Take take(double tokens, long elapsedNanos) {
    double now = Math.min(capacity, tokens + Math.max(0, elapsedNanos) * perSecond / 1e9);
    if (now >= 1) return new Take(now - 1, 0);
    return new Take(now, (long) Math.ceil((1 - now) * 1e9 / perSecond));
  }
}
