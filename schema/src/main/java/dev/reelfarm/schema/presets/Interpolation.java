package dev.reelfarm.schema.presets;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the encoder reaches a preset's frame rate from the model's native rate: the request's and
 * preset's {@code interpolation} field.
 */
public enum Interpolation {
  /** Motion-compensated in-between frames (FFmpeg's {@code minterpolate}, {@code mi_mode=mci}). */
  MOTION,
  /** A mix of the two neighbouring native frames by distance in time (a double image on motion). */
  BLEND,
  /** The nearest native frame, repeated (an 8 Hz stutter at 8 fps native). */
  REPEAT;

  /** The name used in requests and messages: {@code motion}, {@code blend}, {@code repeat}. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Interpolation::id).toList();
  }

  /** The interpolation called {@code name} (case-insensitive, surrounding blanks ignored). */
  public static Optional<Interpolation> find(String name) {
    if (name == null) return Optional.empty();
    String wanted = name.trim();
    return Arrays.stream(values()).filter(i -> i.id().equalsIgnoreCase(wanted)).findFirst();
  }
}
