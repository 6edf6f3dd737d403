package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Every API error: a machine-readable code, the field at fault (if any) and a sentence for people.
 * A server fault (5xx) also carries {@code errorId}, a short random id that the orchestrator's log
 * line of that fault carries too; client errors (4xx) have none. A prompt refused by the prompt
 * policy (422) names the {@code rule} that refused it.
 */
@Schema(description = "Every API error answer.")
public record ErrorBody(
    @Schema(required = true, description = "Machine-readable code", examples = "invalid_request")
        String error,
    @Schema(nullable = true, description = "The field, header or parameter at fault, if any")
        String field,
    @Schema(required = true, description = "A sentence for people") String message,
    @Schema(description = "Server faults (5xx) only: the id of the log line", examples = "3fa2c41b")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String errorId,
    @Schema(
            description =
                "A refused prompt (error prompt_refused) only: the policy rule that refused it",
            examples = "sexual-minors")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String rule) {

  public ErrorBody(String error, String field, String message) {
    this(error, field, message, null, null);
  }

  public ErrorBody(String error, String field, String message, String errorId) {
    this(error, field, message, errorId, null);
  }
}
