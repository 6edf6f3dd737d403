package dev.reelfarm.schema.presets;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Output presets, not knobs: the API accepts a preset name, the encoder renders its size and
 * frame rate. Shared so the orchestrator validates exactly the names the encoder knows.
 */
public enum Preset {
  TIKTOK(1080, 1920, 30),
  SHORTS(1080, 1920, 30),
  REELS(1080, 1920, 30),
  LANDSCAPE(1920, 1080, 30);

  private final int width;
  private final int height;
  private final int fps;

  Preset(int width, int height, int fps) {
    this.width = width;
    this.height = height;
    this.fps = fps;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int fps() {
    return fps;
  }

  /** The API name: lower case. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Preset> find(String name) {
    if (name == null) return Optional.empty();
    return Arrays.stream(values()).filter(p -> p.apiName().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst();
  }

  /** The preset of that name, or an exception listing the valid names. */
  public static Preset parse(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalArgumentException("unknown preset '" + name + "', expected one of " + names()));
  }

  public static String names() {
    return Arrays.stream(values()).map(Preset::apiName).collect(Collectors.joining(", "));
  }
}
