package dev.reelfarm.eval;

/**
 * One video frame as packed RGB24, top row first, {@code width · height · 3} bytes.
 *
 * @param rgb owned by this frame: callers hand over a copy, never a decoder's reused buffer
 */
public record RgbFrame(int width, int height, byte[] rgb) {

  public RgbFrame {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame size " + width + "x" + height);
    }
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "RGB24 "
              + width
              + "x"
              + height
              + " needs "
              + width * height * 3
              + " bytes, got "
              + rgb.length);
    }
  }

  /** Red, green or blue (channel 0..2) of pixel (x, y), 0..255. */
  public int channel(int x, int y, int channel) {
    return rgb[(y * width + x) * 3 + channel] & 0xff;
  }
}
