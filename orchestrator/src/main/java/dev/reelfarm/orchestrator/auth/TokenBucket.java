package dev.reelfarm.orchestrator.auth;

/**
 * A token bucket: {@code capacity} tokens at most, refilled continuously at {@code perSecond}; a
 * request takes one. Thread-safe; time comes from the caller (nanoseconds, monotonic).
 */
public final class TokenBucket {
  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updatedNanos;

  public TokenBucket(int capacity, double perSecond, long nowNanos) {
    if (capacity < 1 || perSecond <= 0)
      throw new IllegalArgumentException("a bucket needs capacity >= 1 and a positive rate");
    this.capacity = capacity;
    this.perNano = perSecond / 1e9;
    this.tokens = capacity;
    this.updatedNanos = nowNanos;
  }

  /**
   * Takes a token if there is one.
   *
   * @return 0 when taken, else the nanoseconds until the next token
   */
  public synchronized long tryTake(long nowNanos) {
    tokens = Math.min(capacity, tokens + Math.max(0, nowNanos - updatedNanos) * perNano);
    updatedNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }
}
