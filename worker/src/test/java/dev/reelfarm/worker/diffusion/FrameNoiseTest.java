package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameNoiseTest {

  private static final int FRAME_SIZE = 4 * 28 * 16;

  @Test
  void sameSeedAndFrameGiveTheSameNoise() {
    assertThat(new FrameNoise(42).frame(5, FRAME_SIZE))
        .containsExactly(new FrameNoise(42).frame(5, FRAME_SIZE));
  }

  @Test
  void otherFramesAndOtherSeedsGiveOtherNoise() {
    float[] noise = new FrameNoise(42).frame(5, FRAME_SIZE);

    assertThat(new FrameNoise(42).frame(6, FRAME_SIZE)).isNotEqualTo(noise);
    assertThat(new FrameNoise(43).frame(5, FRAME_SIZE)).isNotEqualTo(noise);
  }

  @Test
  void valuesFollowThePublishedDefinition() {
    // From an independent Python implementation of the class documentation's definition.
    assertThat(new FrameNoise(42).frame(0, 5))
        .containsExactly(-0.9385469f, 0.304243f, -1.436329f, 1.045425f, -0.7346503f);
    assertThat(new FrameNoise(-1).frame(123456789, 5))
        .containsExactly(-0.8287441f, -0.7824562f, -1.0624396f, 0.6902098f, -0.440615f);
  }

  @Test
  void shorterDrawsArePrefixesOfLongerOnes() {
    float[] five = new FrameNoise(42).frame(7, 5);
    float[] ten = new FrameNoise(42).frame(7, 10);

    assertThat(ten).startsWith(five);
  }

  @Test
  void noiseIsStandardNormalOverAHundredThousandSamples() {
    FrameNoise noise = new FrameNoise(2024);
    int frames = 100;
    int perFrame = 1000;
    double sum = 0;
    double sumOfSquares = 0;
    int withinOneSigma = 0;
    double crossFrameProduct = 0;
    float[] previous = noise.frame(0, perFrame);
    for (int f = 0; f < frames; f++) {
      float[] values = noise.frame(f, perFrame);
      for (int i = 0; i < perFrame; i++) {
        sum += values[i];
        sumOfSquares += values[i] * values[i];
        withinOneSigma += Math.abs(values[i]) < 1 ? 1 : 0;
        crossFrameProduct += f > 0 ? values[i] * previous[i] : 0;
      }
      previous = values;
    }
    int count = frames * perFrame;
    double mean = sum / count;

    assertThat(mean).isCloseTo(0.0, within(0.01));
    assertThat(Math.sqrt(sumOfSquares / count - mean * mean)).isCloseTo(1.0, within(0.01));
    assertThat((double) withinOneSigma / count).isCloseTo(0.6827, within(0.005));
    assertThat(crossFrameProduct / (count - perFrame)).isCloseTo(0.0, within(0.015));
  }

  @ParameterizedTest
  @EnumSource(LatentLayout.class)
  void sharedFrameStartsFromIdenticalNoiseInBothChunks(LatentLayout layout) {
    LatentShape shape = new LatentShape(layout, 4, 8, 3, 5);
    FrameNoise noise = new FrameNoise(99);

    float[] earlierChunk = noise.window(shape, 0);
    float[] laterChunk = noise.window(shape, 6);

    assertThat(shape.frame(laterChunk, 0)).containsExactly(shape.frame(earlierChunk, 6));
    assertThat(shape.frame(laterChunk, 1)).containsExactly(shape.frame(earlierChunk, 7));
    assertThat(shape.frame(laterChunk, 2)).isNotEqualTo(shape.frame(earlierChunk, 7));
  }

  @ParameterizedTest
  @EnumSource(LatentLayout.class)
  void windowFramesAreTheirGlobalFramesNoiseWhateverTheLayout(LatentLayout layout) {
    LatentShape shape = new LatentShape(layout, 2, 3, 2, 2);
    FrameNoise noise = new FrameNoise(5);

    float[] keyframes = noise.window(shape, new long[] {0, 16, 32});

    for (int f = 0; f < 3; f++) {
      assertThat(shape.frame(keyframes, f)).containsExactly(noise.frame(16L * f, 8));
    }
  }

  @ParameterizedTest
  @EnumSource(LatentLayout.class)
  void aChunkSeedChangesTheChunksOwnFramesOnlyAndKeepsItsContextFramesNoise(LatentLayout layout) {
    LatentShape shape = new LatentShape(layout, 4, 8, 3, 5);
    FrameNoise job = new FrameNoise(99);
    long[] window = {7, 8, 9, 10, 11, 12, 13, 14};
    boolean[] context = {true, false, false, false, false, false, false, true};

    float[] original = job.window(shape, window);
    float[] rerendered = job.window(shape, window, 1234, context);

    for (int f = 0; f < 8; f++) {
      if (context[f]) {
        assertThat(shape.frame(rerendered, f)).containsExactly(shape.frame(original, f));
      } else {
        assertThat(shape.frame(rerendered, f))
            .isNotEqualTo(shape.frame(original, f))
            .containsExactly(new FrameNoise(1234).frame(window[f], shape.frameSize()));
      }
    }
    assertThat(job.window(shape, window, 1234, context))
        .as("the same chunk seed re-renders identically")
        .containsExactly(rerendered);
  }
}
