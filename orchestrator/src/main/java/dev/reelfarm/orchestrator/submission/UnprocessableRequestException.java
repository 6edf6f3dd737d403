package dev.reelfarm.orchestrator.submission;

/**
 * A well-formed request the server will not carry out as sent (e.g. an idempotency key reused with
 * another body); names the field or header at fault. Mapped to HTTP 422.
 */
public final class UnprocessableRequestException extends RuntimeException {
  private final String field;

  public UnprocessableRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
