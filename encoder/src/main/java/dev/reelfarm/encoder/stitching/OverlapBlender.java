package dev.reelfarm.encoder.stitching;

/**
 * Cross-fade weights for frames that two neighbouring chunks both rendered. The later chunk's
 * weight rises linearly across the overlap and never reaches 0 or 1 inside it, so both ends of the
 * fade continue smoothly into frames that only one chunk owns: for {@code n} overlapping frames,
 * frame {@code i} gets {@code (i + 1) / (n + 1)} of the later chunk.
 */
public final class OverlapBlender {

  /** Weight of the later chunk for each of {@code n} overlapping frames, in frame order. */
  public static double[] laterChunkWeights(int n) {
    if (n < 0) throw new IllegalArgumentException("overlap of " + n + " frames");
    double[] w = new double[n];
    for (int i = 0; i < n; i++) w[i] = (i + 1) / (double) (n + 1);
    return w;
  }

  private OverlapBlender() {}
}
