package dev.reelfarm.orchestrator.submission;

/** A client error that names the offending field and the rule it broke; mapped to HTTP 400. */
public final class InvalidRequestException extends RuntimeException {
  private final String field;

  public InvalidRequestException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
