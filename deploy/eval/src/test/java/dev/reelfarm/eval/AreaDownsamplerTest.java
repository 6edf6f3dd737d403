package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AreaDownsamplerTest {

  @Test
  void aWholeMultipleAveragesEachBlock() {
    // 4x2 -> 2x1: left block (10, 30, 50, 70) averages 40, right block 200.
    byte[] rgb = new byte[4 * 2 * 3];
    int[] left = {10, 30, 50, 70};
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 4; x++) {
        int v = x < 2 ? left[y * 2 + x] : 200;
        for (int c = 0; c < 3; c++) rgb[(y * 4 + x) * 3 + c] = (byte) v;
      }
    }
    RgbFrame out = new AreaDownsampler(4, 2, 2, 1).apply(rgb);
    assertThat(out.channel(0, 0, 0)).isEqualTo(40);
    assertThat(out.channel(1, 0, 2)).isEqualTo(200);
  }

  @Test
  void aFractionalRatioKeepsFlatColoursExactAndTheMeanOfAnEdge() {
    // 1080x1920 -> 64x112 (16.875 x 17.14 source pixels per output pixel).
    int w = 1080;
    int h = 1920;
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = (y * w + x) * 3;
        rgb[p] = (byte) (x < w / 2 ? 230 : 30);
        rgb[p + 1] = (byte) 25;
        rgb[p + 2] = (byte) (y < h / 2 ? 25 : 230);
      }
    }
    RgbFrame out = new AreaDownsampler(w, h, 64, 112).apply(rgb);
    assertThat(out.channel(0, 0, 0)).isEqualTo(230);
    assertThat(out.channel(63, 111, 2)).isEqualTo(230);
    assertThat(out.channel(40, 10, 1)).isEqualTo(25);
    // Output column 31 spans source x 523.1..540 (all left), column 32 spans 540..556.9 (all
    // right).
    assertThat(out.channel(31, 5, 0)).isEqualTo(230);
    assertThat(out.channel(32, 5, 0)).isEqualTo(30);
  }

  @Test
  void acceptsOnlyItsSourceSize() {
    var d = new AreaDownsampler(100, 50, 10, 5);
    assertThat(d.accepts(100, 50)).isTrue();
    assertThat(d.accepts(50, 100)).isFalse();
  }
}
