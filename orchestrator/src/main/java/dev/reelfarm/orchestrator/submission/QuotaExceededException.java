package dev.reelfarm.orchestrator.submission;

import java.time.Duration;

/**
 * A submission over one of its team's quotas; {@code limit} names it. No job was created. Mapped to
 * HTTP 429 with {@code Retry-After}.
 */
public final class QuotaExceededException extends RuntimeException {
  private final String limit;
  private final Duration retryAfter;

  public QuotaExceededException(String limit, String message, Duration retryAfter) {
    super(message);
    this.limit = limit;
    this.retryAfter = retryAfter;
  }

  public String limit() {
    return limit;
  }

  /** Whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
