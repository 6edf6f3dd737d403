package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Every API error: a machine-readable code, the field at fault (if any) and a sentence for people.
 * A server fault (5xx) also carries {@code errorId}, a short random id that the orchestrator's log
 * line of that fault carries too; client errors (4xx) have none.
 */
public record ErrorBody(
    String error,
    String field,
    String message,
    @JsonInclude(JsonInclude.Include.NON_NULL) String errorId) {

  public ErrorBody(String error, String field, String message) {
    this(error, field, message, null);
  }
}
