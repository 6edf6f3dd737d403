package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How one shot of a sequence meets the next. On the wire (JSON, database, the sequence task) by its
 * lower-case {@link #id()}.
 */
public enum ShotTransition {
  /** The next shot's first frame follows the previous shot's last frame. */
  CUT,
  /** The previous shot's last frames fade into the next shot's first frames (a cross-dissolve). */
  DISSOLVE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ShotTransition> find(String name) {
    return Arrays.stream(values()).filter(t -> t.id().equalsIgnoreCase(name.trim())).findFirst();
  }
}
