package dev.reelfarm.mediaqa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeamMetricTest {
  private static final int W = 32;
  private static final int H = 32;

  /**
   * A bright bar at x (native frames: x moves 1 px per native frame), 30 fps from 8 fps by linear
   * blending.
   */
  private static List<byte[]> clip(int nativeFrames, int jumpAt, int jumpPixels) {
    List<byte[]> nativeLuma = new ArrayList<>();
    for (int f = 0; f < nativeFrames; f++) {
      int x = f + (f >= jumpAt ? jumpPixels : 0);
      byte[] frame = new byte[W * H];
      for (int y = 0; y < H; y++)
        for (int dx = 0; dx < 4; dx++) frame[y * W + (x + dx) % W] = (byte) 200;
      nativeLuma.add(frame);
    }
    List<byte[]> out = new ArrayList<>();
    int outputFrames = nativeFrames * 30 / 8;
    for (int t = 0; t < outputFrames; t++) {
      double p = Math.min(nativeFrames - 1, t * 8.0 / 30);
      int a = (int) Math.floor(p);
      int b = Math.min(nativeFrames - 1, a + 1);
      double wgt = p - a;
      byte[] frame = new byte[W * H];
      for (int i = 0; i < frame.length; i++) {
        frame[i] =
            (byte)
                Math.round(
                    (1 - wgt) * (nativeLuma.get(a)[i] & 0xff)
                        + wgt * (nativeLuma.get(b)[i] & 0xff));
      }
      out.add(frame);
    }
    return out;
  }

  @Test
  void continuousMotionAcrossABoundaryIsInvisible() {
    SeamMetric.Result r = SeamMetric.measure(clip(24, 8, 0), List.of(8, 16), 8, 30);

    assertThat(r.seamRatio()).isCloseTo(1.0, within(0.15));
  }

  @Test
  void aJumpAtABoundaryShowsUpAsAHighRatio() {
    SeamMetric.Result r = SeamMetric.measure(clip(24, 8, 10), List.of(8), 8, 30);

    assertThat(r.seamRatio()).isGreaterThan(3.0);
    assertThat(r.boundaryChanges()).hasSize(1);
  }

  @Test
  void lumaWeighsGreenMost() {
    byte[] green = {0, (byte) 255, 0};
    byte[] blue = {0, 0, (byte) 255};

    assertThat(SeamMetric.luma(green, 1, 1, 1)[0] & 0xff)
        .isGreaterThan(SeamMetric.luma(blue, 1, 1, 1)[0] & 0xff);
  }
}
