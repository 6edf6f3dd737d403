package dev.reelfarm.schema.presets;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Delivery presets: the one table of what each platform's published upload recommendations ask for
 * (README "Presets" cites them). The orchestrator refuses requests a preset's platform rejects
 * ({@link #durationRule}); the encoder encodes to the rest (frame size and rate, closed GOP length,
 * VBV bitrate cap, the silent audio track). Common to all: H.264 High, yuv420p, bt709 tags, 2
 * consecutive B-frames, no edit lists and {@code +faststart}, see {@code Mp4Encoder}.
 */
public enum Preset {
  /** TikTok publishes no GOP or bitrate: 2 s keyframes, capped at the top of 10-20 Mbps. */
  TIKTOK("TikTok", 1080, 1920, 30, 60, 20_000, true, 3),
  /** YouTube: closed GOP of half the frame rate, ~8 Mbps for 1080p30 SDR, AAC-LC 48 kHz. */
  SHORTS("YouTube Shorts", 1080, 1920, 30, 15, 8_000, true, 0),
  /** Instagram Reels: closed GOP, VBR up to 25 Mbps, AAC at most 48 kHz, 3 s minimum. */
  REELS("Instagram Reels", 1080, 1920, 30, 60, 25_000, true, 3),
  /** YouTube (landscape): as {@link #SHORTS} at 1920x1080. */
  LANDSCAPE("YouTube", 1920, 1080, 30, 15, 8_000, true, 0);

  /** The silent track's format: AAC-LC, 48 kHz, stereo (YouTube's and Meta's recommendation). */
  public static final int AUDIO_SAMPLE_RATE = 48_000;

  public static final int AUDIO_CHANNELS = 2;

  /**
   * Every preset's frame rate conversion unless the request chooses: motion-compensated, which
   * measured fewer double images and evener motion than blending (README,
   * FrameRateConversionBenchmark).
   */
  public static final Interpolation DEFAULT_INTERPOLATION = Interpolation.MOTION;

  private final String platform;
  private final int width;
  private final int height;
  private final int fps;
  private final int gopFrames;
  private final int maxBitrateKbps;
  private final boolean silentAudio;
  private final double minDurationSeconds;

  Preset(
      String platform,
      int width,
      int height,
      int fps,
      int gopFrames,
      int maxBitrateKbps,
      boolean silentAudio,
      double minDurationSeconds) {
    this.platform = platform;
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.gopFrames = gopFrames;
    this.maxBitrateKbps = maxBitrateKbps;
    this.silentAudio = silentAudio;
    this.minDurationSeconds = minDurationSeconds;
  }

  /** The name used in requests, messages and file names: {@code tiktok}, {@code landscape}, ... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The platform whose recommendations this preset follows, e.g. {@code Instagram Reels}. */
  public String platform() {
    return platform;
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

  /** Frames from one keyframe to the next; every GOP is closed (each keyframe an IDR). */
  public int gopFrames() {
    return gopFrames;
  }

  /** The video's VBV cap (peak rate), kbit/s; the buffer holds one second at this rate. */
  public int maxBitrateKbps() {
    return maxBitrateKbps;
  }

  /** Whether the MP4 carries a silent AAC-LC 48 kHz stereo track (the platform expects audio). */
  public boolean silentAudio() {
    return silentAudio;
  }

  /** The shortest clip the platform accepts, seconds (0: no minimum). */
  public double minDurationSeconds() {
    return minDurationSeconds;
  }

  /** How frame rate conversion is done for this preset unless the request chooses. */
  public Interpolation interpolation() {
    return DEFAULT_INTERPOLATION;
  }

  /** Why the platform would reject a clip of {@code seconds}, if it would. */
  public Optional<String> durationRule(double seconds) {
    if (seconds >= minDurationSeconds) return Optional.empty();
    return Optional.of(
        "preset "
            + id()
            + " needs at least "
            + (int) minDurationSeconds
            + " seconds ("
            + platform
            + " rejects shorter clips)");
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
