package dev.reelfarm.worker.diffusion;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Maps diffusers' lower-case config strings to this package's enums, whose names are the same. */
final class ConfigValues {

  private ConfigValues() {}

  static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  static <E extends Enum<E>> E parse(Class<E> type, String value) {
    for (E candidate : type.getEnumConstants()) {
      if (of(candidate).equals(value)) {
        return candidate;
      }
    }
    String accepted =
        Arrays.stream(type.getEnumConstants())
            .map(ConfigValues::of)
            .collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "unsupported " + type.getSimpleName() + " '" + value + "'; expected one of: " + accepted);
  }
}
