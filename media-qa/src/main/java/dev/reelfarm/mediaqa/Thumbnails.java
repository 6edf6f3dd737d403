package dev.reelfarm.mediaqa;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every frame of a video decoded and shrunk to block means (RGB, {@code block × block} pixels per
 * thumbnail pixel), for comparing videos frame by frame without holding full frames: two encodes of
 * the same pictures differ by a little coding noise, which the block means mostly average out.
 */
public final class Thumbnails {

  /** One frame's thumbnail: RGB24, {@code width × height}. */
  public record Thumbnail(int width, int height, byte[] rgb) {}

  /** The video's frames in order as thumbnails of {@code block}-pixel squares (edges cut off). */
  public static List<Thumbnail> of(Path video, int block) throws IOException {
    List<Thumbnail> thumbs = new ArrayList<>();
    VideoProbe.decodeFrames(
        video,
        (index, width, height, rgb) -> {
          int tw = width / block;
          int th = height / block;
          long[] sums = new long[tw * th * 3];
          for (int y = 0; y < th * block; y++) {
            for (int x = 0; x < tw * block; x++) {
              int src = (y * width + x) * 3;
              int dst = ((y / block) * tw + x / block) * 3;
              for (int c = 0; c < 3; c++) sums[dst + c] += rgb[src + c] & 0xff;
            }
          }
          byte[] out = new byte[sums.length];
          int n = block * block;
          for (int i = 0; i < out.length; i++) out[i] = (byte) ((sums[i] + n / 2) / n);
          thumbs.add(new Thumbnail(tw, th, out));
        });
    return thumbs;
  }

  /** Mean absolute difference of two same-sized thumbnails, in 8-bit levels (0..255). */
  public static double meanAbsDiff(Thumbnail a, Thumbnail b) {
    if (a.rgb().length != b.rgb().length)
      throw new IllegalArgumentException("thumbnails of different sizes");
    long sum = 0;
    for (int i = 0; i < a.rgb().length; i++)
      sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
    return sum / (double) a.rgb().length;
  }

  /** {@code (1 − weightOfB) · a + weightOfB · b}, rounded: what a cross-dissolve frame shows. */
  public static Thumbnail mix(Thumbnail a, Thumbnail b, double weightOfB) {
    byte[] out = new byte[a.rgb().length];
    for (int i = 0; i < out.length; i++)
      out[i] =
          (byte)
              Math.round((1 - weightOfB) * (a.rgb()[i] & 0xff) + weightOfB * (b.rgb()[i] & 0xff));
    return new Thumbnail(a.width(), a.height(), out);
  }

  private Thumbnails() {}
}
