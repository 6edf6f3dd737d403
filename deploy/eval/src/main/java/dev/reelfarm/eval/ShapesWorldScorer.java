package dev.reelfarm.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads object colour, background colour, shape and motion from the pixels of a shapes-world clip,
 * by the rules of {@code models/README.md} §4 (reference: {@code models/training/evaluate.py}
 * {@code score_clip}, which this follows step for step so that the training-time eval and the
 * farm's eval agree):
 *
 * <ol>
 *   <li>Frames are area-averaged to the world's native size (64×112) and every pixel is classed as
 *       its nearest palette colour. A gradient background's far end is blended only 25 % towards
 *       black or white, chosen so that it stays nearest to its own colour: classing pixels handles
 *       gradients with no special case.
 *   <li>Background: the majority class on the border ring (2 px) of all frames.
 *   <li>Object: the most frequent other class, if it covers at least 2 % of all pixels; else {@link
 *       #NONE} for object, shape and motion.
 *   <li>Per frame, the object mask; frames under half the median mask area are ignored (the object
 *       left the frame, or the model dropped it).
 *   <li>Shape: fill = mask pixels inside the box spanned by the 2nd..98th percentile of the mask's
 *       x and y, over the box's area; the median over frames not cut by the frame edge (all frames
 *       if every one is): below 0.76 triangle, above 0.92 square, else circle.
 *   <li>Motion: least-squares slope of the mask centroid against time in native frames; under 0.35
 *       native px per native frame on both axes is still, else the faster axis and its sign.
 * </ol>
 */
public final class ShapesWorldScorer {

  /** No object (or no frames): wrong against every expected value. */
  public static final String NONE = "none";

  private final ShapesWorld world;

  public ShapesWorldScorer(ShapesWorld world) {
    this.world = world;
  }

  /** Scores frames taken one native frame apart. */
  public ClipScore score(List<RgbFrame> frames) {
    double[] times = new double[frames.size()];
    for (int i = 0; i < times.length; i++) times[i] = i;
    return score(frames, times);
  }

  /**
   * @param frames the clip, at any resolution (resampled to the native size)
   * @param times when each frame is shown, in native frames (frame k of an 8 fps model at k)
   */
  public ClipScore score(List<RgbFrame> frames, double[] times) {
    if (frames.size() != times.length) {
      throw new IllegalArgumentException(frames.size() + " frames but " + times.length + " times");
    }
    if (frames.isEmpty()) return new ClipScore(NONE, NONE, NONE, NONE, 0, null, null, null, 0);
    int w = world.width();
    int h = world.height();
    int n = frames.size();
    byte[][] classes = classify(frames);
    int palette = world.colourNames().size();

    int ring = world.borderRing();
    long[] borderCounts = new long[palette];
    long[] counts = new long[palette];
    for (byte[] cls : classes) {
      for (int y = 0; y < h; y++) {
        boolean borderRow = y < ring || y >= h - ring;
        for (int x = 0; x < w; x++) {
          int c = cls[y * w + x];
          counts[c]++;
          if (borderRow || x < ring || x >= w - ring) borderCounts[c]++;
        }
      }
    }
    int background = argmax(borderCounts);
    counts[background] = 0;
    int object = argmax(counts);
    double objectFraction = counts[object] / ((double) n * w * h);
    String backgroundName = world.colourNames().get(background);
    if (objectFraction < world.minObjectFraction()) {
      return new ClipScore(NONE, backgroundName, NONE, NONE, objectFraction, null, null, null, 0);
    }

    int[] areas = new int[n];
    for (int f = 0; f < n; f++) {
      for (byte c : classes[f]) if (c == object) areas[f]++;
    }
    double medianArea = median(Arrays.stream(areas).asDoubleStream().toArray());

    List<Double> fills = new ArrayList<>();
    List<Double> cutFills = new ArrayList<>();
    List<double[]> track = new ArrayList<>(); // {t, cx, cy}
    int[] columnHistogram = new int[w];
    int[] rowHistogram = new int[h];
    for (int f = 0; f < n; f++) {
      if (areas[f] == 0 || areas[f] < 0.5 * medianArea) continue;
      Arrays.fill(columnHistogram, 0);
      Arrays.fill(rowHistogram, 0);
      byte[] cls = classes[f];
      double sumX = 0, sumY = 0;
      int onEdge = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (cls[y * w + x] != object) continue;
          columnHistogram[x]++;
          rowHistogram[y]++;
          sumX += x;
          sumY += y;
          if (x == 0 || y == 0 || x == w - 1 || y == h - 1) onEdge++;
        }
      }
      track.add(new double[] {times[f], sumX / areas[f], sumY / areas[f]});
      double x0 = percentile(columnHistogram, areas[f], world.fillPercentileLow());
      double x1 = percentile(columnHistogram, areas[f], world.fillPercentileHigh());
      double y0 = percentile(rowHistogram, areas[f], world.fillPercentileLow());
      double y1 = percentile(rowHistogram, areas[f], world.fillPercentileHigh());
      int inside = 0;
      for (int y = (int) Math.ceil(y0); y <= y1; y++) {
        for (int x = (int) Math.ceil(x0); x <= x1; x++) {
          if (cls[y * w + x] == object) inside++;
        }
      }
      double fill = inside / ((x1 - x0 + 1) * (y1 - y0 + 1));
      (onEdge >= world.edgePixelsForCut() ? cutFills : fills).add(fill);
    }

    String shape = NONE;
    Double fill = null;
    List<Double> usable = fills.isEmpty() ? cutFills : fills;
    if (!usable.isEmpty()) {
      fill = median(usable.stream().mapToDouble(Double::doubleValue).toArray());
      shape =
          fill < world.fillTriangleMax()
              ? "triangle"
              : fill > world.fillSquareMin() ? "square" : "circle";
    }

    String motion = NONE;
    Double vx = null;
    Double vy = null;
    if (track.size() >= 2) {
      vx = slope(track, 1);
      vy = slope(track, 2);
      if (Math.max(Math.abs(vx), Math.abs(vy)) < world.stillMaxSpeed()) motion = "still";
      else if (Math.abs(vx) >= Math.abs(vy)) motion = vx > 0 ? "right" : "left";
      else motion = vy > 0 ? "down" : "up";
    }
    return new ClipScore(
        world.colourNames().get(object),
        backgroundName,
        shape,
        motion,
        objectFraction,
        fill,
        vx,
        vy,
        track.size());
  }

  /** Nearest palette colour of every pixel, per frame, at the native size. */
  private byte[][] classify(List<RgbFrame> frames) {
    int w = world.width();
    int h = world.height();
    byte[][] classes = new byte[frames.size()][];
    AreaDownsampler resampler = null;
    for (int f = 0; f < frames.size(); f++) {
      RgbFrame frame = frames.get(f);
      if (frame.width() != w || frame.height() != h) {
        if (resampler == null || !resampler.accepts(frame.width(), frame.height())) {
          resampler = new AreaDownsampler(frame.width(), frame.height(), w, h);
        }
        frame = resampler.apply(frame.rgb());
      }
      byte[] rgb = frame.rgb();
      byte[] cls = new byte[w * h];
      for (int p = 0; p < cls.length; p++) {
        cls[p] =
            (byte) world.nearest(rgb[3 * p] & 0xff, rgb[3 * p + 1] & 0xff, rgb[3 * p + 2] & 0xff);
      }
      classes[f] = cls;
    }
    return classes;
  }

  private static int argmax(long[] counts) {
    int best = 0;
    for (int i = 1; i < counts.length; i++) if (counts[i] > counts[best]) best = i;
    return best;
  }

  /** Median as numpy computes it: the mean of the two middle values for an even count. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  /**
   * Percentile of the {@code count} pixel coordinates in {@code histogram} (coordinate → pixels),
   * with numpy's default linear interpolation between the two nearest ranks.
   */
  static double percentile(int[] histogram, int count, double percent) {
    double position = percent / 100.0 * (count - 1);
    int below = (int) Math.floor(position);
    double lo = valueAtRank(histogram, below);
    double hi = valueAtRank(histogram, Math.min(below + 1, count - 1));
    return lo + (position - below) * (hi - lo);
  }

  private static int valueAtRank(int[] histogram, int rank) {
    int seen = 0;
    for (int v = 0; v < histogram.length; v++) {
      seen += histogram[v];
      if (seen > rank) return v;
    }
    return histogram.length - 1;
  }

  /** Least-squares slope of column {@code column} of {@code points} against column 0. */
  private static double slope(List<double[]> points, int column) {
    double mt = 0, mv = 0;
    for (double[] p : points) {
      mt += p[0];
      mv += p[column];
    }
    mt /= points.size();
    mv /= points.size();
    double num = 0, den = 0;
    for (double[] p : points) {
      num += (p[0] - mt) * (p[column] - mv);
      den += (p[0] - mt) * (p[0] - mt);
    }
    return den == 0 ? 0 : num / den;
  }
}
