package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A 2-channel, 3-frame, 1×2 tensor whose values are their flat indices. */
class LatentShapeTest {

  private static float[] indices(LatentShape shape) {
    float[] values = new float[shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return values;
  }

  @Test
  void channelMajorFrameIsOnePlanePerChannel() {
    LatentShape shape = new LatentShape(LatentLayout.BCFHW, 2, 3, 1, 2);

    // frame 1 of channel 0 at (0·3 + 1)·2, of channel 1 at (1·3 + 1)·2
    assertThat(shape.frame(indices(shape), 1)).containsExactly(2f, 3f, 8f, 9f);
    assertThat(shape.dimensions()).containsExactly(1, 2, 3, 1, 2);
  }

  @Test
  void frameMajorFrameIsContiguous() {
    LatentShape shape = new LatentShape(LatentLayout.BFCHW, 2, 3, 1, 2);

    assertThat(shape.frame(indices(shape), 1)).containsExactly(4f, 5f, 6f, 7f);
    assertThat(shape.dimensions()).containsExactly(1, 3, 2, 1, 2);
  }

  @ParameterizedTest
  @EnumSource(LatentLayout.class)
  void putFrameWritesOnlyThatFrame(LatentLayout layout) {
    LatentShape shape = new LatentShape(layout, 2, 3, 1, 2);
    float[] latents = indices(shape);
    float[] replacement = {-1f, -2f, -3f, -4f};

    shape.putFrame(latents, 2, replacement);

    assertThat(shape.frame(latents, 2)).containsExactly(replacement);
    assertThat(shape.frame(latents, 0)).containsExactly(shape.frame(indices(shape), 0));
    assertThat(shape.frame(latents, 1)).containsExactly(shape.frame(indices(shape), 1));
  }

  @Test
  void mismatchedSizesAndFramesAreRejected() {
    LatentShape shape = new LatentShape(LatentLayout.BCFHW, 2, 3, 1, 2);

    assertThatThrownBy(() -> shape.frame(new float[11], 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> shape.putFrame(new float[12], 0, new float[3]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> shape.frame(new float[12], 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new LatentShape(LatentLayout.BCFHW, 0, 3, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
