package dev.reelfarm.encoder.stitching;

/**
 * Maps the model's native frame rate (e.g. 8 fps) to a preset's rate (30 fps). The clip keeps its
 * duration: {@code round(nativeFrames · outputFps / nativeFps)} output frames (32 native frames at
 * 8 fps → exactly 120). Output frame {@code j} shows the instant {@code j / outputFps}, i.e. native
 * position {@code p = j · nativeFps / outputFps}, computed exactly in integers.
 *
 * <p>{@link Interpolation#LINEAR} is the default. Measured on a bar moving right 8 px per native
 * frame, 8 → 30 fps ({@code FrameRateConverterTest#linearInterpolationMovesAtConstantSpeed...}):
 * its intensity centroid advances 2.13 px every output frame with LINEAR (standard deviation of the
 * step 0.00 px), while NEAREST holds it still for 3–4 output frames and then jumps the whole native
 * step (a 4-4-4-3 repeat cadence, step deviation 3.55 px): an 8 Hz stutter that 30 fps makes
 * obvious. LINEAR's price is a double, half-contrast edge on fast motion in 3 of every 4 output
 * frames, which at 30 fps reads as motion blur; it is the smoother of the two. Blending is done on
 * native frames, before the upscale, where it touches ~290× fewer pixels than at 1080×1920.
 */
public final class FrameRateConverter {

  /** How an output instant between two native frames is rendered. */
  public enum Interpolation {
    /** Mix the two neighbouring native frames by distance in time. */
    LINEAR,
    /** Show the native frame nearest in time (frame repetition). */
    NEAREST,
    /**
     * Motion-compensated in-between frames, made by the media side ({@code MotionInterpolator}) at
     * the instants {@link #LINEAR} uses; its motion estimation needs the native frame after each
     * instant too (see {@link #lastNativeFrameNeeded}).
     */
    MOTION;

    /** The converter for a request's or preset's {@code interpolation}. */
    public static Interpolation of(dev.reelfarm.schema.presets.Interpolation chosen) {
      return switch (chosen) {
        case MOTION -> MOTION;
        case BLEND -> LINEAR;
        case REPEAT -> NEAREST;
      };
    }
  }

  /**
   * Output frame {@code index} = {@code (1 - weight) · native[from] + weight · native[to]}; {@code
   * weight} is 0 when the output instant falls on a native frame (or past the last one).
   */
  public record OutputFrame(int index, int from, int to, double weight) {
    /** The highest native frame this output frame needs. */
    public int lastNativeFrameNeeded() {
      return weight > 0 ? to : from;
    }
  }

  private final int nativeFps;
  private final int outputFps;
  private final int nativeFrames;
  private final int outputFrames;
  private final Interpolation interpolation;

  public FrameRateConverter(
      int nativeFps, int outputFps, int nativeFrames, Interpolation interpolation) {
    if (nativeFps <= 0)
      throw new IllegalArgumentException("native fps must be positive, was " + nativeFps);
    if (outputFps <= 0)
      throw new IllegalArgumentException("output fps must be positive, was " + outputFps);
    if (nativeFrames <= 0)
      throw new IllegalArgumentException("native frames must be positive, was " + nativeFrames);
    this.nativeFps = nativeFps;
    this.outputFps = outputFps;
    this.nativeFrames = nativeFrames;
    this.outputFrames = outputFrameCount(nativeFrames, nativeFps, outputFps);
    this.interpolation = interpolation;
  }

  public FrameRateConverter(int nativeFps, int outputFps, int nativeFrames) {
    this(nativeFps, outputFps, nativeFrames, Interpolation.LINEAR);
  }

  /**
   * {@code round(nativeFrames · outputFps / nativeFps)}, halves rounded up, in exact integer
   * arithmetic.
   */
  public static int outputFrameCount(int nativeFrames, int nativeFps, int outputFps) {
    long num = (long) nativeFrames * outputFps;
    return Math.toIntExact(Math.max(1, (2 * num + nativeFps) / (2L * nativeFps)));
  }

  public int outputFrames() {
    return outputFrames;
  }

  public int nativeFrames() {
    return nativeFrames;
  }

  public int outputFps() {
    return outputFps;
  }

  public int nativeFps() {
    return nativeFps;
  }

  public Interpolation interpolation() {
    return interpolation;
  }

  /** Duration of the output in seconds. */
  public double durationSeconds() {
    return outputFrames / (double) outputFps;
  }

  /** The native frames and weight behind output frame {@code j}. */
  public OutputFrame frame(int j) {
    if (j < 0 || j >= outputFrames) {
      throw new IndexOutOfBoundsException("output frame " + j + " of " + outputFrames);
    }
    long num = (long) j * nativeFps; // native position = num / outputFps
    int from = (int) Math.min(num / outputFps, nativeFrames - 1);
    long rem = num - (long) from * outputFps;
    if (interpolation == Interpolation.NEAREST) {
      int nearest = (int) Math.min(2 * rem >= outputFps ? from + 1 : from, nativeFrames - 1);
      return new OutputFrame(j, nearest, nearest, 0);
    }
    if (from == nativeFrames - 1 || rem == 0) return new OutputFrame(j, from, from, 0);
    return new OutputFrame(j, from, from + 1, rem / (double) outputFps);
  }

  /**
   * The highest native frame output frame {@code j} needs before it can be made: the later of its
   * two native frames, and for {@link Interpolation#MOTION} one more (the motion search looks one
   * native frame ahead; past the end, the last native frame stands in).
   */
  public int lastNativeFrameNeeded(int j) {
    int needed = frame(j).lastNativeFrameNeeded();
    return interpolation == Interpolation.MOTION ? Math.min(needed + 1, nativeFrames - 1) : needed;
  }

  /**
   * First output frame whose instant is at or after native frame {@code n} (for seam reporting).
   */
  public int firstOutputFrameAtOrAfter(int nativeFrame) {
    long num = (long) nativeFrame * outputFps;
    return (int) Math.min(outputFrames, (num + nativeFps - 1) / nativeFps);
  }
}
