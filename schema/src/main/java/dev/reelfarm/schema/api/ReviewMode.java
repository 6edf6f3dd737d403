package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a job waits for a person to approve before it renders the rest. On the wire (JSON, the
 * {@code render_review.kind} column) by its lower-case {@link #id()}.
 */
public enum ReviewMode {
  /**
   * The anchor pass's keyframes, as a storyboard: the infills render only once it is approved.
   * Needs an anchored plan.
   */
  KEYFRAMES;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ReviewMode> find(String name) {
    return Arrays.stream(values()).filter(m -> m.id().equalsIgnoreCase(name.trim())).findFirst();
  }
}
