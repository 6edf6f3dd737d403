package dev.reelfarm.worker.diffusion;

/**
 * Initial Gaussian noise for each latent frame, a pure function of (job seed, global frame index,
 * element index). It does not depend on the chunk, worker, thread or order in which frames are
 * drawn, so a frame shared by two overlapping chunks starts from identical noise and a retried
 * chunk re-renders identically.
 *
 * <p>Definition, for reimplementation elsewhere (e.g. a PyTorch reference); arithmetic on unsigned
 * 64-bit integers wraps, {@code mix64} is SplitMix64's finalizer, and log, cos and sin are
 * StrictMath's (fdlibm, identical on every JVM):
 *
 * <pre>
 * γ             = 0x9E3779B97F4A7C15
 * key           = mix64(mix64(jobSeed) + γ·globalFrame)
 * bits(j)       = mix64(key + γ·(j + 1))
 * u1            = ((bits(2k) &gt;&gt;&gt; 11) + 1) · 2^-53     in (0, 1]
 * u2            = (bits(2k + 1) &gt;&gt;&gt; 11) · 2^-53        in [0, 1)
 * value(2k)     = (float) (√(−2·ln u1) · cos(2π·u2))
 * value(2k + 1) = (float) (√(−2·ln u1) · sin(2π·u2))
 * </pre>
 */
public record FrameNoise(long jobSeed) {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double UNIT = 0x1.0p-53;

  /** Unit Gaussian noise for one frame: {@code count} values, the prefix of an endless stream. */
  public float[] frame(long globalFrameIndex, int count) {
    long key = mix64(mix64(jobSeed) + GOLDEN_GAMMA * globalFrameIndex);
    float[] noise = new float[count];
    for (int k = 0; 2 * k < count; k++) {
      double u1 = ((mix64(key + GOLDEN_GAMMA * (2L * k + 1)) >>> 11) + 1) * UNIT;
      double u2 = (mix64(key + GOLDEN_GAMMA * (2L * k + 2)) >>> 11) * UNIT;
      double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
      double angle = 2.0 * StrictMath.PI * u2;
      noise[2 * k] = (float) (radius * StrictMath.cos(angle));
      if (2 * k + 1 < count) {
        noise[2 * k + 1] = (float) (radius * StrictMath.sin(angle));
      }
    }
    return noise;
  }

  /** A chunk's noise tensor for consecutive global frames starting at {@code firstGlobalFrame}. */
  public float[] window(LatentShape shape, long firstGlobalFrame) {
    long[] globalFrames = new long[shape.frames()];
    for (int f = 0; f < globalFrames.length; f++) {
      globalFrames[f] = firstGlobalFrame + f;
    }
    return window(shape, globalFrames);
  }

  /**
   * A chunk's noise tensor whose frame f is global frame {@code globalFrames[f]} (e.g. the strided
   * keyframes of an anchor chunk).
   */
  public float[] window(LatentShape shape, long[] globalFrames) {
    if (globalFrames.length != shape.frames()) {
      throw new IllegalArgumentException(
          shape.frames() + " frames need as many global indices, got " + globalFrames.length);
    }
    float[] noise = new float[shape.size()];
    for (int f = 0; f < globalFrames.length; f++) {
      shape.putFrame(noise, f, frame(globalFrames[f], shape.frameSize()));
    }
    return noise;
  }

  /**
   * The noise of a re-rendered chunk whose own seed is {@code chunkSeed}: frame f is global frame
   * {@code globalFrames[f]}, drawn from this (the job's) seed where {@code keepsJobNoise[f]} (the
   * context frames, which must stay as their neighbours rendered them) and from {@code chunkSeed}
   * everywhere else, so the seed changes the chunk's own frames only.
   */
  public float[] window(
      LatentShape shape, long[] globalFrames, long chunkSeed, boolean[] keepsJobNoise) {
    if (globalFrames.length != shape.frames() || keepsJobNoise.length != shape.frames()) {
      throw new IllegalArgumentException(
          shape.frames() + " frames need as many global indices and flags");
    }
    FrameNoise chunk = new FrameNoise(chunkSeed);
    float[] noise = new float[shape.size()];
    for (int f = 0; f < globalFrames.length; f++) {
      FrameNoise source = keepsJobNoise[f] ? this : chunk;
      shape.putFrame(noise, f, source.frame(globalFrames[f], shape.frameSize()));
    }
    return noise;
  }

  /** SplitMix64's finalizer (Steele, Lea &amp; Flood 2014). */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
