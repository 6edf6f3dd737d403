package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One webhook call to make and every attempt at it. {@code id} is the {@code webhook-id} header,
 * the same on every attempt.
 *
 * @param jobId the render it is about; null for {@code batch.completed}
 * @param batchId the batch {@code batch.completed} is about; null for a render's events
 * @param endpointId null: the job's (or batch's) own {@code webhook} URL
 * @param status PENDING (to be sent or retried), DELIVERED (a 2xx answer), GAVE_UP (out of
 *     attempts, too old or refused)
 */
@Schema(description = "A webhook delivery and its attempts.")
public record WebhookDeliveryView(
    @Schema(required = true, examples = "msg_2b0f6c1e-53d4-4a39-9a43-0d6f8c1b7f10") String id,
    @JsonInclude(JsonInclude.Include.NON_NULL) UUID jobId,
    @JsonInclude(JsonInclude.Include.NON_NULL) UUID batchId,
    @JsonInclude(JsonInclude.Include.NON_NULL) UUID endpointId,
    @Schema(required = true) String url,
    @Schema(required = true) WebhookEvent event,
    @Schema(required = true) WebhookDeliveryStatus status,
    @Schema(required = true) Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant finishedAt,
    @Schema(required = true) List<Attempt> attempts) {

  /**
   * One POST to the receiver.
   *
   * @param statusCode null: no HTTP answer (see {@code error})
   */
  @Schema(name = "WebhookAttempt", description = "One attempt at a delivery.")
  public record Attempt(
      @Schema(required = true) int attempt,
      @Schema(required = true) Instant startedAt,
      @Schema(required = true) long durationMs,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer statusCode,
      @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}
}
