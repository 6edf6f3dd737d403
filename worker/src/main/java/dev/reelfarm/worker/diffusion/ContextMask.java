package dev.reelfarm.worker.diffusion;

import java.util.Arrays;

/** Which frames of a chunk's window are known context (e.g. keyframes, a previous chunk's tail). */
public final class ContextMask {

  private final boolean[] known;

  private ContextMask(boolean[] known) {
    this.known = known;
  }

  /** A window of {@code frames} frames with nothing known: an unconditioned chunk. */
  public static ContextMask none(int frames) {
    return of(frames);
  }

  /** A window of {@code frames} frames in which {@code knownFrames} (window indices) are known. */
  public static ContextMask of(int frames, int... knownFrames) {
    if (frames < 1) {
      throw new IllegalArgumentException("a window has at least one frame: " + frames);
    }
    boolean[] known = new boolean[frames];
    for (int frame : knownFrames) {
      if (frame < 0 || frame >= frames) {
        throw new IllegalArgumentException(
            "known frame " + frame + " outside a window of " + frames);
      }
      known[frame] = true;
    }
    return new ContextMask(known);
  }

  public int frames() {
    return known.length;
  }

  public boolean isKnown(int frame) {
    return known[frame];
  }

  /** The native denoiser's {@code context_mask} input, [1, F]: 1 where known, 0 elsewhere. */
  public float[] modelInput() {
    float[] mask = new float[known.length];
    for (int f = 0; f < known.length; f++) {
      mask[f] = known[f] ? 1f : 0f;
    }
    return mask;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContextMask mask && Arrays.equals(known, mask.known);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(known);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("ContextMask[");
    for (boolean frameKnown : known) {
      text.append(frameKnown ? 'K' : '.');
    }
    return text.append(']').toString();
  }
}
