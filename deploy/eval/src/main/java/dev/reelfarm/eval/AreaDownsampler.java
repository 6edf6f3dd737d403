package dev.reelfarm.eval;

/**
 * Resamples RGB24 frames to a fixed size by area averaging: each output pixel is the mean of the
 * source area it covers, fractional edges weighted by their overlap. The encoder stretches the
 * model's native frame (64×112) to the preset with Lanczos; averaging back over the same grid
 * undoes that stretch and averages away its ringing and the codec's noise, so the scorer sees the
 * world's native pixels. Weights depend only on the sizes and are computed once.
 */
public final class AreaDownsampler {

  private final int sourceWidth;
  private final int sourceHeight;
  private final int targetWidth;
  private final int targetHeight;
  private final Taps columns;
  private final Taps rows;
  private final float[] rowBuffer;

  public AreaDownsampler(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight) {
    if (sourceWidth <= 0 || sourceHeight <= 0 || targetWidth <= 0 || targetHeight <= 0) {
      throw new IllegalArgumentException(
          "sizes must be positive: "
              + sourceWidth
              + "x"
              + sourceHeight
              + " -> "
              + targetWidth
              + "x"
              + targetHeight);
    }
    this.sourceWidth = sourceWidth;
    this.sourceHeight = sourceHeight;
    this.targetWidth = targetWidth;
    this.targetHeight = targetHeight;
    this.columns = Taps.of(sourceWidth, targetWidth);
    this.rows = Taps.of(sourceHeight, targetHeight);
    this.rowBuffer = new float[sourceHeight * targetWidth * 3];
  }

  /** Whether this resampler takes frames of the given size. */
  public boolean accepts(int width, int height) {
    return width == sourceWidth && height == sourceHeight;
  }

  /**
   * @param rgb a source frame, RGB24 top row first; only read
   * @return a new frame of the target size
   */
  public RgbFrame apply(byte[] rgb) {
    if (rgb.length != sourceWidth * sourceHeight * 3) {
      throw new IllegalArgumentException(
          "expected a "
              + sourceWidth
              + "x"
              + sourceHeight
              + " RGB24 frame, got "
              + rgb.length
              + " bytes");
    }
    // Horizontal pass: every source row to targetWidth columns.
    for (int y = 0; y < sourceHeight; y++) {
      int in = y * sourceWidth * 3;
      int out = y * targetWidth * 3;
      for (int x = 0; x < targetWidth; x++) {
        float r = 0, g = 0, b = 0;
        int first = columns.first[x];
        float[] w = columns.weights[x];
        for (int k = 0; k < w.length; k++) {
          int p = in + (first + k) * 3;
          r += w[k] * (rgb[p] & 0xff);
          g += w[k] * (rgb[p + 1] & 0xff);
          b += w[k] * (rgb[p + 2] & 0xff);
        }
        rowBuffer[out + x * 3] = r;
        rowBuffer[out + x * 3 + 1] = g;
        rowBuffer[out + x * 3 + 2] = b;
      }
    }
    // Vertical pass.
    byte[] result = new byte[targetWidth * targetHeight * 3];
    for (int y = 0; y < targetHeight; y++) {
      int first = rows.first[y];
      float[] w = rows.weights[y];
      for (int i = 0; i < targetWidth * 3; i++) {
        float v = 0;
        for (int k = 0; k < w.length; k++) v += w[k] * rowBuffer[(first + k) * targetWidth * 3 + i];
        result[y * targetWidth * 3 + i] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return new RgbFrame(targetWidth, targetHeight, result);
  }

  /** For each output index, the first source index and the weights of the sources it covers. */
  private record Taps(int[] first, float[][] weights) {
    static Taps of(int source, int target) {
      double scale = (double) source / target;
      int[] first = new int[target];
      float[][] weights = new float[target][];
      for (int i = 0; i < target; i++) {
        double lo = i * scale;
        double hi = (i + 1) * scale;
        int a = (int) Math.floor(lo);
        int b = Math.min(source, (int) Math.ceil(hi));
        first[i] = a;
        weights[i] = new float[b - a];
        for (int s = a; s < b; s++) {
          double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
          weights[i][s - a] = (float) (overlap / scale);
        }
      }
      return new Taps(first, weights);
    }
  }
}
