package dev.reelfarm.schema.presets;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Delivery presets: a platform's frame size and rate. Presets, not knobs: everything else (H.264
 * High, yuv420p, closed GOP, +faststart, bt709) is the same for all of them, see {@code
 * Mp4Encoder}. Shared so the orchestrator validates exactly the names the encoder renders.
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

  /** The name used in requests, messages and file names: {@code tiktok}, {@code landscape}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
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

  /** Valid preset names, in declaration order. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Preset::id).collect(Collectors.toUnmodifiableList());
  }

  /**
   * The preset called {@code name} (case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the valid presets when there is none by that name
   */
  public static Preset parse(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown preset '" + name + "'; valid presets: " + String.join(", ", names())));
  }

  /** The preset called {@code name} (case-insensitive, surrounding blanks ignored), if any. */
  public static Optional<Preset> find(String name) {
    if (name == null) return Optional.empty();
    String wanted = name.trim();
    return Arrays.stream(values()).filter(p -> p.id().equalsIgnoreCase(wanted)).findFirst();
  }
}
