package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a webhook endpoint can subscribe to. On the wire by its dotted {@link #id()}. */
public enum WebhookEvent {
  RENDER_SUCCEEDED("render.succeeded"),
  RENDER_FAILED("render.failed"),
  RENDER_CANCELLED("render.cancelled"),
  /** A running job's progress, at most once per job per the endpoint's progress interval. */
  RENDER_PROGRESS("render.progress"),
  /** A job's storyboard waits for approval (after each anchor pass of a review job). */
  RENDER_AWAITING_APPROVAL("render.awaiting_approval"),
  /** A batch reached its final status (see {@code BatchStatus}); sent once per batch. */
  BATCH_COMPLETED("batch.completed");

  private final String id;

  WebhookEvent(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static WebhookEvent fromId(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("unknown event " + id));
  }

  public static Optional<WebhookEvent> find(String id) {
    return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst();
  }

  /** Every id, comma-separated (for error messages). */
  public static String ids() {
    return Arrays.stream(values()).map(WebhookEvent::id).collect(Collectors.joining(", "));
  }
}
