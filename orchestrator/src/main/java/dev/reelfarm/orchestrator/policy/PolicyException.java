package dev.reelfarm.orchestrator.policy;

/** A policy that cannot be used as written; {@code field} names the part at fault. */
public final class PolicyException extends RuntimeException {
  private final String field;

  public PolicyException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
