package dev.reelfarm.encoder.media;

import dev.reelfarm.encoder.stitching.ChunkWindow;
import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.FrameRateConverter.Interpolation;
import dev.reelfarm.encoder.stitching.NativeFrameSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run explicitly: {@code ./mvnw -B -o -pl encoder -am test
 * -Dtest=FrameRateConversionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}).
 *
 * <p>The same native frames of a 12 s clip at the default model's format (64×112, 8 fps) converted
 * to 30 fps by each interpolation, measured on the converter's output at native size (before the
 * upscale and the encode). The clip is synthetic and said so: a 14×14 square, opaque, one colour,
 * circling at 4.3 px per native frame over a flat background (the model draws such objects, at such
 * speeds), so its true position at every instant is known. Figures:
 *
 * <ul>
 *   <li><b>ghosting</b>: share of output frames showing a doubled edge — in at least a third of the
 *       object's rows or columns, a run of ≥ 2 half-tone pixels (15–85 % of the way from the
 *       background to the object's colour): a see-through copy of the object, not a 1 px soft edge.
 *   <li><b>evenness</b>: coefficient of variation (std / mean) of the per-frame displacement of the
 *       object's body (centroid of pixels ≥ 50 % object), where a viewer sees it.
 *   <li><b>speed</b>: output frames per second of the conversion alone.
 * </ul>
 *
 * Writes {@code /tmp/frc-<mode>.png}: output frame 2 (native instant 0.53, between two native
 * frames), 8× nearest-neighbour.
 */
class FrameRateConversionBenchmark {
  private static final int W = 64;
  private static final int H = 112;
  private static final int NATIVE_FPS = 8;
  private static final int OUTPUT_FPS = 30;
  private static final int NATIVE_FRAMES = 12 * NATIVE_FPS;
  private static final int SIZE = 14;
  private static final double RADIUS = 22;
  private static final double NATIVE_FRAMES_PER_LOOP = 32; // 2π·22/32 = 4.3 px per native frame
  private static final int[] BACKGROUND = {120, 40, 150};
  private static final int[] OBJECT = {240, 220, 30};

  @Test
  void ghostingEvennessAndSpeedPerInterpolation() throws IOException {
    System.out.printf(
        "ideal (object drawn at each output instant): evenness CV %.3f%n", evenness(idealFrames()));
    for (Interpolation mode : Interpolation.values()) {
      convert(mode); // warm-up: JIT, native libraries
      long start = System.nanoTime();
      List<byte[]> out = convert(mode);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<byte[]> again = convert(mode);
      boolean same = true;
      for (int j = 0; j < out.size(); j++)
        same &= java.util.Arrays.equals(out.get(j), again.get(j));
      System.out.printf(
          "%-7s %d output frames: ghosting %.3f (runs >= 2 px; %.3f with runs >= 3 px),"
              + " half-tone area %.1f px/frame, evenness CV %.3f, %.0f frames/s (%.2f ms/frame),"
              + " same frames on a second run: %s%n",
          mode,
          out.size(),
          ghosted(out, 2) / (double) out.size(),
          ghosted(out, 3) / (double) out.size(),
          halfToneArea(out),
          evenness(out),
          out.size() / seconds,
          seconds * 1000 / out.size(),
          same);
      writeStill(out.get(2), Path.of("/tmp/frc-" + mode.name().toLowerCase() + ".png"));
    }
  }

  private static List<byte[]> convert(Interpolation mode) throws IOException {
    ClipAssembler clip =
        ClipAssembler.of(
            NATIVE_FRAMES, List.of(new ChunkWindow(0, 0, NATIVE_FRAMES, 0, NATIVE_FRAMES)));
    NativeFrameSource source = (chunk, g, into) -> draw(g, into);
    ClipFrames frames = new ClipFrames(clip, source, W, H);
    FrameRateConverter fps = new FrameRateConverter(NATIVE_FPS, OUTPUT_FPS, NATIVE_FRAMES, mode);
    List<byte[]> out = new ArrayList<>();
    if (mode == Interpolation.MOTION) {
      try (MotionInterpolator motion = new MotionInterpolator(frames, fps, W, H)) {
        for (int j = 0; j < fps.outputFrames(); j++)
          out.add(motion.outputFrame(fps.frame(j)).clone());
      }
    } else {
      for (int j = 0; j < fps.outputFrames(); j++)
        out.add(frames.outputFrame(fps.frame(j)).clone());
    }
    return out;
  }

  private static List<byte[]> idealFrames() {
    List<byte[]> out = new ArrayList<>();
    int n = FrameRateConverter.outputFrameCount(NATIVE_FRAMES, NATIVE_FPS, OUTPUT_FPS);
    for (int j = 0; j < n; j++) {
      byte[] f = new byte[W * H * 3];
      drawAt(Math.min(j * NATIVE_FPS / (double) OUTPUT_FPS, NATIVE_FRAMES - 1), f);
      out.add(f);
    }
    return out;
  }

  private static void draw(int g, byte[] into) {
    drawAt(g, into);
  }

  /** The square at native instant {@code t}, at whole pixels (no anti-aliasing). */
  private static void drawAt(double t, byte[] into) {
    double angle = 2 * Math.PI * t / NATIVE_FRAMES_PER_LOOP;
    int x0 = (int) Math.round(W / 2.0 + RADIUS * Math.cos(angle) - SIZE / 2.0);
    int y0 = (int) Math.round(H / 2.0 + RADIUS * Math.sin(angle) - SIZE / 2.0);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean inside = x >= x0 && x < x0 + SIZE && y >= y0 && y < y0 + SIZE;
        int[] c = inside ? OBJECT : BACKGROUND;
        int i = (y * W + x) * 3;
        into[i] = (byte) c[0];
        into[i + 1] = (byte) c[1];
        into[i + 2] = (byte) c[2];
      }
    }
  }

  /** How far a pixel is from the background towards the object's colour (0..1, least squares). */
  private static double alpha(byte[] rgb, int x, int y) {
    int i = (y * W + x) * 3;
    double num = 0;
    double den = 0;
    for (int c = 0; c < 3; c++) {
      double d = OBJECT[c] - BACKGROUND[c];
      num += ((rgb[i + c] & 0xff) - BACKGROUND[c]) * d;
      den += d * d;
    }
    return Math.max(0, Math.min(1, num / den));
  }

  private static boolean halfTone(byte[] rgb, int x, int y) {
    double a = alpha(rgb, x, y);
    return a >= 0.15 && a <= 0.85;
  }

  private static int ghosted(List<byte[]> frames, int minRun) {
    int count = 0;
    for (byte[] f : frames) if (doubledEdge(f, minRun)) count++;
    return count;
  }

  private static double halfToneArea(List<byte[]> frames) {
    long pixels = 0;
    for (byte[] f : frames) {
      for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) if (halfTone(f, x, y)) pixels++;
    }
    return pixels / (double) frames.size();
  }

  private static boolean doubledEdge(byte[] f, int minRun) {
    int lines = 0;
    for (int y = 0; y < H; y++) {
      int run = 0;
      boolean found = false;
      for (int x = 0; x < W && !found; x++) {
        run = halfTone(f, x, y) ? run + 1 : 0;
        found = run >= minRun;
      }
      if (found) lines++;
    }
    for (int x = 0; x < W; x++) {
      int run = 0;
      boolean found = false;
      for (int y = 0; y < H && !found; y++) {
        run = halfTone(f, x, y) ? run + 1 : 0;
        found = run >= minRun;
      }
      if (found) lines++;
    }
    return lines >= SIZE / 3;
  }

  private static double evenness(List<byte[]> frames) {
    List<double[]> centres = new ArrayList<>();
    for (byte[] f : frames) {
      double sx = 0;
      double sy = 0;
      int n = 0;
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          if (alpha(f, x, y) >= 0.5) {
            sx += x;
            sy += y;
            n++;
          }
        }
      }
      centres.add(new double[] {sx / n, sy / n});
    }
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    // The clip's last output frames all hold the last native frame: not motion, left out.
    int moving = (NATIVE_FRAMES - 1) * OUTPUT_FPS / NATIVE_FPS;
    for (int j = 1; j <= moving; j++) {
      double d =
          Math.hypot(
              centres.get(j)[0] - centres.get(j - 1)[0], centres.get(j)[1] - centres.get(j - 1)[1]);
      sum += d;
      sumSq += d * d;
      n++;
    }
    double mean = sum / n;
    return Math.sqrt(Math.max(0, sumSq / n - mean * mean)) / mean;
  }

  private static void writeStill(byte[] rgb, Path png) throws IOException {
    int scale = 8;
    BufferedImage image = new BufferedImage(W * scale, H * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H * scale; y++) {
      for (int x = 0; x < W * scale; x++) {
        int i = ((y / scale) * W + x / scale) * 3;
        image.setRGB(x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
      }
    }
    ImageIO.write(image, "png", png.toFile());
  }
}
