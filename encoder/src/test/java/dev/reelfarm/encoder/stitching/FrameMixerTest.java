package dev.reelfarm.encoder.stitching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameMixerTest {

  @Test
  void mixIsLinearAndRounded() {
    byte[] a = {0, (byte) 255, 100, 10};
    byte[] b = {(byte) 255, 0, 100, 11};
    byte[] out = new byte[4];
    FrameMixer.mix(a, b, 0.5, out);
    assertThat(unsigned(out)).containsExactly(128, 128, 100, 11);
    FrameMixer.mix(a, b, 0.25, out);
    assertThat(unsigned(out)).containsExactly(64, 191, 100, 10);
  }

  @Test
  void weightsZeroAndOneReturnTheInputsExactly() {
    byte[] a = {1, 2, (byte) 200};
    byte[] b = {9, 8, (byte) 7};
    byte[] out = new byte[3];
    FrameMixer.mix(a, b, 0, out);
    assertThat(out).containsExactly(a);
    FrameMixer.mix(a, b, 1, out);
    assertThat(out).containsExactly(b);
  }

  @Test
  void framesOfDifferentSizesOrWeightsOutsideZeroOneAreRejected() {
    assertThatThrownBy(() -> FrameMixer.mix(new byte[3], new byte[4], 0.5, new byte[3]))
        .hasMessageContaining("differ in size");
    assertThatThrownBy(() -> FrameMixer.mix(new byte[3], new byte[3], 1.5, new byte[3]))
        .hasMessageContaining("weight");
  }

  @Test
  void overlapWeightsRiseLinearlyStrictlyBetweenZeroAndOne() {
    assertThat(OverlapBlender.laterChunkWeights(3)).containsExactly(0.25, 0.5, 0.75);
    assertThat(OverlapBlender.laterChunkWeights(0)).isEmpty();
  }

  private static int[] unsigned(byte[] v) {
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) r[i] = v[i] & 0xff;
    return r;
  }
}
