package dev.reelfarm.schema.api;

/**
 * Where a webhook delivery stands. The CHECK on {@code webhook_delivery.status} (V10) is the source
 * of the values; a test keeps them equal.
 */
public enum WebhookDeliveryStatus {
  /** To be sent, or retried from {@code nextAttemptAt}. */
  PENDING,
  /** The receiver answered 2xx. */
  DELIVERED,
  /** Out of attempts, too old, or refused by the destination check. */
  GAVE_UP;

  /** No attempt will change the delivery again. */
  public boolean isFinished() {
    return this != PENDING;
  }
}
