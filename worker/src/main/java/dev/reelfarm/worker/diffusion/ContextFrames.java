package dev.reelfarm.worker.diffusion;

import java.util.Map;

/**
 * The clean latents of a window's known frames. Serves both conditioning kinds: the {@code
 * context}/{@code context_mask} inputs of a natively conditioned denoiser, and the targets of
 * {@link ReplacementConditioning}.
 */
public final class ContextFrames {

  private final LatentShape shape;
  private final ContextMask mask;
  private final float[] latents;

  private ContextFrames(LatentShape shape, ContextMask mask, float[] latents) {
    this.shape = shape;
    this.mask = mask;
    this.latents = latents;
  }

  /** No known frames: every input is zero. */
  public static ContextFrames none(LatentShape shape) {
    return new ContextFrames(shape, ContextMask.none(shape.frames()), new float[shape.size()]);
  }

  /**
   * @param knownFrames window frame index → that frame's clean latents as [C, H, W]
   */
  public static ContextFrames of(LatentShape shape, Map<Integer, float[]> knownFrames) {
    float[] latents = new float[shape.size()];
    int[] indices = knownFrames.keySet().stream().mapToInt(Integer::intValue).toArray();
    ContextMask mask = ContextMask.of(shape.frames(), indices);
    knownFrames.forEach((frame, values) -> shape.putFrame(latents, frame, values));
    return new ContextFrames(shape, mask, latents);
  }

  public LatentShape shape() {
    return shape;
  }

  public ContextMask mask() {
    return mask;
  }

  /** The native denoiser's {@code context} input: known frames' clean latents, zeros elsewhere. */
  public float[] modelInput() {
    return latents.clone();
  }

  /** A known frame's clean latents, [C, H, W]. */
  public float[] knownFrame(int frame) {
    if (!mask.isKnown(frame)) {
      throw new IllegalArgumentException("frame " + frame + " is not known context");
    }
    return shape.frame(latents, frame);
  }

  /**
   * A copy of {@code sample} whose known frames are their clean latents, exactly: the last act of a
   * conditioned denoise, so context frames come out as they went in.
   */
  public float[] restoreKnownFrames(float[] sample) {
    float[] restored = sample.clone();
    for (int f = 0; f < shape.frames(); f++) {
      if (mask.isKnown(f)) {
        shape.putFrame(restored, f, shape.frame(latents, f));
      }
    }
    return restored;
  }
}
