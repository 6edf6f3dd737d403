package dev.reelfarm.orchestrator.submission;

import java.util.Collection;

/** A client error that names the offending field and the rule it broke; mapped to HTTP 400. */
public final class InvalidRequestException extends RuntimeException {
  private final String field;

  public InvalidRequestException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
  }

  /**
   * A 400 for a value outside a closed set: {@code unknown preset 'imax'; expected one of a, b}.
   */
  public static InvalidRequestException unknownValue(
      String field, String value, Collection<String> expected) {
    return new InvalidRequestException(
        field,
        "unknown " + field + " '" + value + "'; expected one of " + String.join(", ", expected));
  }

  public String field() {
    return field;
  }
}
