package dev.reelfarm.encoder;

/**
 * Test clips: a red square moving right over a blue background, RGB24 frames exactly as workers
 * write them (frame-major, top row first).
 */
public final class SyntheticFrames {
  public static final int WIDTH = 64;
  public static final int HEIGHT = 112;
  public static final int SIZE = 16;
  public static final int[] BACKGROUND = {30, 60, 200};
  public static final int[] SQUARE = {220, 40, 40};

  /** Left edge of the square in global frame {@code g}: 1.5 px per frame, from x = 2. */
  public static int squareX(int g) {
    return 2 + (3 * g) / 2;
  }

  /** Top edge of the square (fixed). */
  public static int squareY() {
    return (HEIGHT - SIZE) / 2;
  }

  public static byte[] frame(int g) {
    byte[] rgb = new byte[WIDTH * HEIGHT * 3];
    int x0 = squareX(g);
    int y0 = squareY();
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        boolean inside = x >= x0 && x < x0 + SIZE && y >= y0 && y < y0 + SIZE;
        int[] c = inside ? SQUARE : BACKGROUND;
        int i = (y * WIDTH + x) * 3;
        rgb[i] = (byte) c[0];
        rgb[i + 1] = (byte) c[1];
        rgb[i + 2] = (byte) c[2];
      }
    }
    return rgb;
  }

  /** Frames {@code [start, start + count)} concatenated, as one chunk file's content. */
  public static byte[] frames(int start, int count) {
    byte[] all = new byte[count * WIDTH * HEIGHT * 3];
    for (int i = 0; i < count; i++) {
      byte[] f = frame(start + i);
      System.arraycopy(f, 0, all, i * f.length, f.length);
    }
    return all;
  }

  private SyntheticFrames() {}
}
