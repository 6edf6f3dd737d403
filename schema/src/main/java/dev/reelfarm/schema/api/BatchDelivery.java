package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a batch delivers. On the wire (JSON, database) by its lower-case {@link #id()}. */
public enum BatchDelivery {
  /** One video per shot, as separate renders. */
  CLIPS,
  /** The shots' videos too, and one MP4 of every shot in order, once all have succeeded. */
  SEQUENCE;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BatchDelivery> find(String name) {
    return Arrays.stream(values()).filter(d -> d.id().equalsIgnoreCase(name.trim())).findFirst();
  }
}
