package dev.reelfarm.encoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.encoder.SyntheticFrames;
import dev.reelfarm.encoder.stitching.ChunkWindow;
import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.NativeFrameSource;
import dev.reelfarm.mediaqa.DeliveryProbe;
import dev.reelfarm.mediaqa.DeliveryProbe.Delivery;
import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every preset's MP4, probed with real FFmpeg against its row of the preset table. The clip is
 * full-frame noise that changes every native frame, the hardest content for the bitrate cap.
 */
class PresetDeliveryTest {
  private static final int W = SyntheticFrames.WIDTH;
  private static final int H = SyntheticFrames.HEIGHT;
  private static final int NATIVE_FPS = 8;
  private static final int NATIVE_FRAMES = 48; // 6 s

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Preset.class)
  void presetOutputMatchesItsPlatformRecommendations(Preset preset) throws IOException {
    Path video = encodeNoise(preset);
    VideoInfo info = VideoProbe.probe(video);
    Delivery delivery = DeliveryProbe.probe(video);
    double seconds = NATIVE_FRAMES / (double) NATIVE_FPS;
    System.out.printf(
        "%s: %d frames, keyframes %s, average %.2f Mbit/s, peak 1 s %.2f Mbit/s (cap %d kbit/s),"
            + " audio %s, edit list %s%n",
        preset.id(),
        info.frames(),
        info.keyFrames(),
        delivery.averageBitsPerSecond(seconds) / 1e6,
        delivery.peakBitsPerSecond(1.0) / 1e6,
        preset.maxBitrateKbps(),
        delivery.audio(),
        delivery.editList());

    assertThat(info.frameRate()).isCloseTo(preset.fps(), within(1e-9));
    assertThat(info.frames()).isEqualTo((int) Math.round(seconds * preset.fps()));
    assertThat(info.profileName()).isEqualTo("High");
    assertThat(info.pixelFormat()).isEqualTo("yuv420p");
    assertThat(List.of(info.colorPrimaries(), info.colorTransfer(), info.colorSpace()))
        .containsOnly("bt709");
    assertThat(info.moovBeforeMdat()).isTrue();
    assertThat(delivery.editList()).isFalse();

    List<Integer> everyGop = new ArrayList<>();
    for (int f = 0; f < info.frames(); f += preset.gopFrames()) everyGop.add(f);
    assertThat(info.keyFrames()).isEqualTo(everyGop);
    assertThat(delivery.closedGops()).isTrue();

    // The encoder was told the cap, and kept to it: a VBV of one second's buffer at the cap allows
    // at most cap · (t + 1) bits in any t seconds (the buffer starts full).
    assertThat(delivery.encoderSettings())
        .contains("vbv_maxrate=" + preset.maxBitrateKbps())
        .contains("bframes=2");
    double cap = preset.maxBitrateKbps() * 1000.0;
    assertThat(delivery.averageBitsPerSecond(seconds))
        .isLessThanOrEqualTo(cap * (seconds + 1) / seconds);
    assertThat(delivery.peakBitsPerSecond(1.0)).isLessThanOrEqualTo(2 * cap);

    if (preset.silentAudio()) {
      assertThat(delivery.audio())
          .hasValue(
              new DeliveryProbe.Audio(
                  "aac", "LC", Preset.AUDIO_SAMPLE_RATE, Preset.AUDIO_CHANNELS));
    } else {
      assertThat(delivery.audio()).isEmpty();
    }
  }

  private Path encodeNoise(Preset preset) throws IOException {
    ClipAssembler clip =
        ClipAssembler.of(
            NATIVE_FRAMES, List.of(new ChunkWindow(0, 0, NATIVE_FRAMES, 0, NATIVE_FRAMES)));
    NativeFrameSource noise = (chunk, index, into) -> new Random(index).nextBytes(into);
    Path out = dir.resolve(preset.id() + ".mp4");
    ClipEncoder.encodeVideo(
        new ClipFrames(clip, noise, W, H),
        new FrameRateConverter(NATIVE_FPS, preset.fps(), NATIVE_FRAMES),
        W,
        H,
        preset,
        out);
    return out;
  }
}
