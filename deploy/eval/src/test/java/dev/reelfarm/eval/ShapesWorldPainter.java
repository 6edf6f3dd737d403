package dev.reelfarm.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws clips exactly as {@code models/training/shapes_world.py} {@code render} does (anti-aliased
 * signed-distance shapes at pixel centres, solid or linear-gradient backgrounds, constant
 * velocity), so the scorer is tested on the world the model learns.
 */
final class ShapesWorldPainter {

  /** The project's palette.json, found from the module directory or above. */
  static ShapesWorld world() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path palette = dir.resolve("models/training/palette.json");
      if (Files.isRegularFile(palette)) {
        try {
          return ShapesWorld.fromJson(new ObjectMapper().readTree(palette.toFile()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("models/training/palette.json not found above " + Path.of(""));
  }

  /** What to draw; {@code gradientAngle} null for a solid background. */
  record Scene(
      String object,
      String background,
      String shape,
      double areaFraction,
      double x0,
      double y0,
      double vx,
      double vy,
      Double gradientAngle) {

    static Scene of(String object, String background, String shape) {
      return new Scene(object, background, shape, 0.13, 32, 56, 0, 0, null);
    }

    Scene at(double x, double y) {
      return new Scene(object, background, shape, areaFraction, x, y, vx, vy, gradientAngle);
    }

    Scene moving(double vx, double vy) {
      return new Scene(object, background, shape, areaFraction, x0, y0, vx, vy, gradientAngle);
    }

    Scene area(double fraction) {
      return new Scene(object, background, shape, fraction, x0, y0, vx, vy, gradientAngle);
    }

    Scene gradient(double angle) {
      return new Scene(object, background, shape, areaFraction, x0, y0, vx, vy, angle);
    }
  }

  private final ShapesWorld world;

  ShapesWorldPainter(ShapesWorld world) {
    this.world = world;
  }

  /** {@code frames} native frames of the scene; {@code object} null draws the background only. */
  List<RgbFrame> paint(Scene s, int frames) {
    int w = world.width();
    int h = world.height();
    double[] bg = background(s);
    double[] obj = s.object() == null ? null : unit(world.rgb(s.object()));
    double size = Math.sqrt(s.areaFraction() * w * h);
    var out = new ArrayList<RgbFrame>();
    for (int f = 0; f < frames; f++) {
      byte[] rgb = new byte[w * h * 3];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = y * w + x;
          double alpha =
              obj == null
                  ? 0
                  : coverage(
                      s.shape(), s.x0() + s.vx() * f, s.y0() + s.vy() * f, size, x + 0.5, y + 0.5);
          for (int c = 0; c < 3; c++) {
            double base = bg[p * 3 + c];
            double v = obj == null ? base : base + (obj[c] - base) * alpha;
            rgb[p * 3 + c] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
          }
        }
      }
      out.add(new RgbFrame(w, h, rgb));
    }
    return out;
  }

  private double[] background(Scene s) {
    int w = world.width();
    int h = world.height();
    double[] c = unit(world.rgb(s.background()));
    double[] img = new double[w * h * 3];
    if (s.gradientAngle() == null) {
      for (int p = 0; p < w * h; p++) System.arraycopy(c, 0, img, p * 3, 3);
      return img;
    }
    double t = world.gradientTowards().get(s.background()).equals("black") ? 0 : 1;
    double a = world.gradientAmount();
    double[] far = {(1 - a) * c[0] + a * t, (1 - a) * c[1] + a * t, (1 - a) * c[2] + a * t};
    double cos = Math.cos(s.gradientAngle());
    double sin = Math.sin(s.gradientAngle());
    double[] u = new double[w * h];
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = (x + 0.5 - w / 2.0) * cos + (y + 0.5 - h / 2.0) * sin;
        u[y * w + x] = v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    for (int p = 0; p < w * h; p++) {
      double k = (u[p] - min) / (max - min);
      for (int ch = 0; ch < 3; ch++) img[p * 3 + ch] = c[ch] + (far[ch] - c[ch]) * k;
    }
    return img;
  }

  /** shapes_world._shape_alpha: clip(0.5 - signed distance, 0, 1); size = sqrt(area). */
  static double coverage(String shape, double cx, double cy, double size, double px, double py) {
    double dx = px - cx;
    double dy = py - cy;
    double sd;
    switch (shape) {
      case "circle" -> sd = Math.sqrt(dx * dx + dy * dy) - size / Math.sqrt(Math.PI);
      case "square" -> sd = Math.max(Math.abs(dx), Math.abs(dy)) - size / 2;
      case "triangle" -> {
        double base = size / Math.sqrt(0.55);
        double height = 1.1 * base;
        double top = -height / 2;
        double bottom = height / 2;
        double nx = height;
        double ny = -base / 2;
        double norm = Math.hypot(nx, ny);
        double right = (nx * dx + ny * (dy - top)) / norm;
        double left = (-nx * dx + ny * (dy - top)) / norm;
        sd = Math.max(dy - bottom, Math.max(right, left));
      }
      default -> throw new IllegalArgumentException(shape);
    }
    return Math.max(0, Math.min(1, 0.5 - sd));
  }

  /** Bilinear upscale (pixel centres aligned), standing in for the encoder's Lanczos stretch. */
  static RgbFrame upscale(RgbFrame f, int width, int height) {
    byte[] out = new byte[width * height * 3];
    double sx = (double) f.width() / width;
    double sy = (double) f.height() / height;
    for (int y = 0; y < height; y++) {
      double fy = Math.max(0, Math.min(f.height() - 1, (y + 0.5) * sy - 0.5));
      int y0 = (int) Math.floor(fy);
      int y1 = Math.min(f.height() - 1, y0 + 1);
      double wy = fy - y0;
      for (int x = 0; x < width; x++) {
        double fx = Math.max(0, Math.min(f.width() - 1, (x + 0.5) * sx - 0.5));
        int x0 = (int) Math.floor(fx);
        int x1 = Math.min(f.width() - 1, x0 + 1);
        double wx = fx - x0;
        for (int c = 0; c < 3; c++) {
          double v =
              (1 - wy) * ((1 - wx) * f.channel(x0, y0, c) + wx * f.channel(x1, y0, c))
                  + wy * ((1 - wx) * f.channel(x0, y1, c) + wx * f.channel(x1, y1, c));
          out[(y * width + x) * 3 + c] = (byte) Math.round(v);
        }
      }
    }
    return new RgbFrame(width, height, out);
  }

  private static double[] unit(int[] rgb) {
    return new double[] {rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0};
  }
}
