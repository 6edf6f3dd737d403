package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.worker.diffusion.LatentRgbProjection;
import dev.reelfarm.worker.diffusion.LatentShape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** PNG previews of a chunk's current x0 estimate: its middle frame, projected from latents. */
public final class PreviewImages {
  private static final int UPSCALE = 4;

  private final LatentShape shape;
  private final LatentRgbProjection projection;

  private PreviewImages(LatentShape shape, LatentRgbProjection projection) {
    this.shape = shape;
    this.projection = projection;
  }

  /** Null when the bundle declares no preview factors: then the worker sends no previews. */
  public static PreviewImages forBundle(BundleManifest m, LatentShape shape) {
    if (m.preview() == null
        || m.preview().latentRgbFactors() == null
        || m.preview().latentRgbBias() == null) return null;
    double[][] factors =
        m.preview().latentRgbFactors().stream()
            .map(PreviewImages::doubles)
            .toArray(double[][]::new);
    return new PreviewImages(
        shape, new LatentRgbProjection(factors, doubles(m.preview().latentRgbBias())));
  }

  public byte[] png(float[] denoisedLatents) {
    byte[] rgb = projection.frame(shape, denoisedLatents, shape.frames() / 2);
    int w = shape.width();
    int h = shape.height();
    BufferedImage image = new BufferedImage(w * UPSCALE, h * UPSCALE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h * UPSCALE; y++) {
      for (int x = 0; x < w * UPSCALE; x++) {
        int i = ((y / UPSCALE) * w + x / UPSCALE) * 3;
        image.setRGB(x, y, (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff));
      }
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
