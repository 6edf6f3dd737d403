package dev.reelfarm.encoder.stitching;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.encoder.SyntheticFrames;
import dev.reelfarm.encoder.stitching.ClipAssembler.Seams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipFramesTest {
  private static final List<ChunkWindow> PLAN =
      List.of(new ChunkWindow(0, 0, 16, 0, 16), new ChunkWindow(1, 12, 20, 16, 32));

  /** Reads chunk files made of synthetic frames, except that chunk 1's frames are all grey. */
  private final List<String> reads = new ArrayList<>();

  private final NativeFrameSource source =
      (chunk, index, into) -> {
        reads.add(chunk + ":" + index);
        if (chunk == 0) {
          System.arraycopy(SyntheticFrames.frame(index), 0, into, 0, into.length);
        } else {
          java.util.Arrays.fill(into, (byte) 128);
        }
      };

  @Test
  void outputFramesAreTheWeightedMixOfTheirNativeFrames() throws Exception {
    ClipFrames frames =
        new ClipFrames(
            ClipAssembler.of(32, PLAN), source, SyntheticFrames.WIDTH, SyntheticFrames.HEIGHT);
    FrameRateConverter fps = new FrameRateConverter(8, 30, 32);
    byte[] expected = new byte[frames.frameBytes()];
    FrameMixer.mix(SyntheticFrames.frame(0), SyntheticFrames.frame(1), 8 / 30.0, expected);
    assertThat(frames.outputFrame(fps.frame(1))).containsExactly(expected);
    assertThat(frames.outputFrame(fps.frame(15))).containsExactly(SyntheticFrames.frame(4));
  }

  @Test
  void walkingForwardReadsEachNativeFrameOnce() throws Exception {
    ClipFrames frames =
        new ClipFrames(
            ClipAssembler.of(32, PLAN), source, SyntheticFrames.WIDTH, SyntheticFrames.HEIGHT);
    FrameRateConverter fps = new FrameRateConverter(8, 30, 32);
    for (int j = 0; j < fps.outputFrames(); j++) frames.outputFrame(fps.frame(j));
    assertThat(reads).hasSize(32).doesNotHaveDuplicates();
    assertThat(reads.get(16)).isEqualTo("1:4");
  }

  @Test
  void crossFadedNativeFramesMixBothChunks() throws Exception {
    ClipFrames frames =
        new ClipFrames(
            ClipAssembler.of(32, PLAN, Seams.CROSS_FADE),
            source,
            SyntheticFrames.WIDTH,
            SyntheticFrames.HEIGHT);
    byte[] grey = new byte[frames.frameBytes()];
    java.util.Arrays.fill(grey, (byte) 128);
    byte[] expected = new byte[frames.frameBytes()];
    FrameMixer.mix(SyntheticFrames.frame(13), grey, 0.4, expected);
    assertThat(frames.nativeFrame(13)).containsExactly(expected);
  }
}
