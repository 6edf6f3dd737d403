package dev.reelfarm.mediaqa;

import java.util.ArrayList;
import java.util.List;

/**
 * How visible chunk seams are in a finished clip. For each pair of consecutive output frames the
 * change is the mean absolute luma difference; transitions that span a chunk boundary (the native
 * frame interval where one chunk's frames give way to the next's, spread over several output frames
 * by the frame-rate conversion) are compared with the median change inside chunks: {@code seamRatio
 * = mean(change at boundaries) / median(change inside chunks)}, 1.0 = invisible. {@code flicker} is
 * the mean second difference of frames over the mean first difference: high when frames jitter back
 * and forth rather than move. Pure: frames in, numbers out.
 */
public final class SeamMetric {

  /** Measured seams; {@code boundaryChanges} per boundary, in clip order. */
  public record Result(
      double seamRatio, double flicker, double medianInsideChange, List<Double> boundaryChanges) {}

  /**
   * @param luma output frames as 8-bit luma (any size, all equal), in order
   * @param boundaries native frame indices where a new chunk's owned range starts (not 0)
   * @param nativeFps the model's frame rate
   * @param outputFps the video's frame rate
   */
  public static Result measure(
      List<byte[]> luma, List<Integer> boundaries, int nativeFps, int outputFps) {
    int n = luma.size();
    if (n < 3) throw new IllegalArgumentException("need at least 3 frames");
    double[] change = new double[n];
    for (int t = 1; t < n; t++) change[t] = meanAbsDiff(luma.get(t), luma.get(t - 1));
    boolean[] atBoundary = new boolean[n];
    List<Double> perBoundary = new ArrayList<>();
    for (int b : boundaries) {
      double sum = 0;
      int count = 0;
      for (int t = 1; t < n; t++) {
        double from = (double) (t - 1) * nativeFps / outputFps;
        double to = (double) t * nativeFps / outputFps;
        // the transition overlaps the native interval [b-1, b] where the chunks meet
        if (to > b - 1 && from < b) {
          atBoundary[t] = true;
          sum += change[t];
          count++;
        }
      }
      if (count > 0) perBoundary.add(sum / count);
    }
    List<Double> inside = new ArrayList<>();
    for (int t = 1; t < n; t++) if (!atBoundary[t]) inside.add(change[t]);
    inside.sort(Double::compare);
    double median = inside.isEmpty() ? 0 : inside.get(inside.size() / 2);
    double boundaryMean = perBoundary.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double firstDiff = 0;
    double secondDiff = 0;
    for (int t = 1; t + 1 < n; t++) {
      firstDiff += change[t];
      secondDiff += meanAbsSecondDiff(luma.get(t - 1), luma.get(t), luma.get(t + 1));
    }
    double ratio =
        median > 0 ? boundaryMean / median : (boundaryMean > 0 ? Double.POSITIVE_INFINITY : 1.0);
    return new Result(ratio, firstDiff > 0 ? secondDiff / firstDiff : 0, median, perBoundary);
  }

  /**
   * 8-bit luma (BT.709 weights) of an RGB24 frame, downsampled by {@code step} in both directions.
   */
  public static byte[] luma(byte[] rgb, int width, int height, int step) {
    int w = width / step;
    int h = height / step;
    byte[] out = new byte[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = ((y * step) * width + x * step) * 3;
        double v =
            0.2126 * (rgb[i] & 0xff) + 0.7152 * (rgb[i + 1] & 0xff) + 0.0722 * (rgb[i + 2] & 0xff);
        out[y * w + x] = (byte) Math.round(v);
      }
    }
    return out;
  }

  private static double meanAbsDiff(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    return (double) sum / a.length;
  }

  private static double meanAbsSecondDiff(byte[] a, byte[] b, byte[] c) {
    long sum = 0;
    for (int i = 0; i < a.length; i++)
      sum += Math.abs((a[i] & 0xff) - 2 * (b[i] & 0xff) + (c[i] & 0xff));
    return (double) sum / a.length;
  }

  private SeamMetric() {}
}
