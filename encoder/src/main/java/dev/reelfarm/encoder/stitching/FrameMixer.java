package dev.reelfarm.encoder.stitching;

/** Per-pixel linear mix of two 8-bit frames (any interleaved layout, same size). */
public final class FrameMixer {

  /**
   * {@code out = (1 - weightOfB) * a + weightOfB * b}, rounded. The weight is quantised to 1/256,
   * well below what 8-bit output can show. {@code out} may be {@code a} or {@code b}.
   */
  public static void mix(byte[] a, byte[] b, double weightOfB, byte[] out) {
    if (a.length != b.length || out.length != a.length) {
      throw new IllegalArgumentException(
          "frames differ in size: " + a.length + ", " + b.length + ", " + out.length);
    }
    if (!(weightOfB >= 0 && weightOfB <= 1))
      throw new IllegalArgumentException("weight " + weightOfB);
    int wb = (int) Math.round(weightOfB * 256);
    int wa = 256 - wb;
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (((a[i] & 0xff) * wa + (b[i] & 0xff) * wb + 128) >> 8);
    }
  }

  private FrameMixer() {}
}
