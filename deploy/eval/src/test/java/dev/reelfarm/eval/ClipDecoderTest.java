package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClipDecoderTest {

  @Test
  void thirtyFpsClipIsSampledAtTheFrameNearestEachNativeInstant() {
    // 2 s: 16 native frames at 8 fps, 60 output frames at 30 fps.
    List<ClipDecoder.Sample> samples = ClipDecoder.nativeSamples(60, 30, 8);
    assertThat(samples).hasSize(16);
    assertThat(samples.stream().map(ClipDecoder.Sample::decodedIndex).limit(6))
        .containsExactly(0, 4, 8, 11, 15, 19);
    for (int k = 0; k < samples.size(); k++) {
      // At most half an output frame away: 0.5 * 8 / 30 native frames.
      assertThat(samples.get(k).nativeTime()).isCloseTo(k, within(0.5 * 8 / 30 + 1e-9));
    }
  }

  @Test
  void aClipAtTheNativeRateKeepsEveryFrame() {
    List<ClipDecoder.Sample> samples = ClipDecoder.nativeSamples(8, 8, 8);
    assertThat(samples)
        .extracting(ClipDecoder.Sample::decodedIndex)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(samples)
        .extracting(ClipDecoder.Sample::nativeTime)
        .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
  }

  @Test
  void aClipSlowerThanTheModelUsesEachFrameOnce() {
    List<ClipDecoder.Sample> samples = ClipDecoder.nativeSamples(4, 4, 8);
    assertThat(samples).extracting(ClipDecoder.Sample::decodedIndex).containsExactly(0, 1, 2, 3);
    assertThat(samples.get(3).nativeTime()).isEqualTo(6.0);
  }
}
