package dev.reelfarm.encoder.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.encoder.SyntheticFrames;
import dev.reelfarm.encoder.stitching.ChunkWindow;
import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.FrameRateConverter.Interpolation;
import dev.reelfarm.encoder.stitching.NativeFrameSource;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FFmpeg minterpolate on the synthetic moving square. */
class MotionInterpolatorTest {
  private static final int W = SyntheticFrames.WIDTH;
  private static final int H = SyntheticFrames.HEIGHT;
  private static final int NATIVE = 32;

  @TempDir Path dir;

  private static ClipFrames frames() {
    ClipAssembler clip =
        ClipAssembler.of(NATIVE, List.of(new ChunkWindow(0, 0, NATIVE, 0, NATIVE)));
    NativeFrameSource source =
        (chunk, index, into) ->
            System.arraycopy(SyntheticFrames.frame(index), 0, into, 0, into.length);
    return new ClipFrames(clip, source, W, H);
  }

  private static List<byte[]> convert() throws IOException {
    FrameRateConverter fps = new FrameRateConverter(8, 30, NATIVE, Interpolation.MOTION);
    List<byte[]> out = new ArrayList<>();
    try (MotionInterpolator motion = new MotionInterpolator(frames(), fps, W, H)) {
      for (int j = 0; j < fps.outputFrames(); j++)
        out.add(motion.outputFrame(fps.frame(j)).clone());
    }
    return out;
  }

  @Test
  void theSameNativeFramesGiveTheSameOutputFrames() throws IOException {
    List<byte[]> first = convert();
    List<byte[]> second = convert();
    assertThat(first).hasSize(120);
    for (int j = 0; j < first.size(); j++)
      assertThat(second.get(j)).as("frame %d", j).isEqualTo(first.get(j));
  }

  @Test
  void nativeInstantsShowTheNativeFrameAndInBetweenFramesMoveTheSquareWithoutADoubleImage()
      throws IOException {
    List<byte[]> out = convert();
    assertThat(out.get(15)).isEqualTo(SyntheticFrames.frame(4)); // 15 / 30 s = native 4 exactly
    // Output 2 is native instant 0.53: the square's left edge, 2 px at native 0 and 3 px at 1
    // (1.5 px per native frame), stands between them; a blend would show it at both, half red.
    double left = leftEdge(out.get(2));
    assertThat(left).isBetween(2.0, 3.5);
    int row = SyntheticFrames.squareY() + SyntheticFrames.SIZE / 2;
    int halfRed = 0;
    for (int x = 0; x < W; x++) {
      int red = out.get(2)[(row * W + x) * 3] & 0xff;
      if (red > 80 && red < 170) halfRed++;
    }
    assertThat(halfRed).as("half-red pixels on the square's middle row").isLessThanOrEqualTo(2);
  }

  @Test
  void aClipEncodedWithMotionInterpolationDecodesToEveryOutputFrame() throws IOException {
    ClipAssembler clip =
        ClipAssembler.of(NATIVE, List.of(new ChunkWindow(0, 0, NATIVE, 0, NATIVE)));
    NativeFrameSource source =
        (chunk, index, into) ->
            System.arraycopy(SyntheticFrames.frame(index), 0, into, 0, into.length);
    Path video = dir.resolve("motion.mp4");
    try (ClipEncoder encoder =
        new ClipEncoder(
            new ClipFrames(clip, source, W, H),
            new FrameRateConverter(8, 30, NATIVE, Interpolation.MOTION),
            W,
            H,
            Preset.TIKTOK,
            video)) {
      // Encoding while rendering: with 9 of 32 native frames, output frames up to instant 7 only
      // (the motion search needs the frame after each instant).
      assertThat(encoder.encodeAvailable(9)).isEqualTo(27); // instants 0 .. 26 · 8/30 = 6.93
      encoder.finish();
    }
    assertThat(VideoProbe.probe(video).frames()).isEqualTo(120);
  }

  /** Mean x of the first pixel per row of the square that is mostly red. */
  private static double leftEdge(byte[] rgb) {
    double sum = 0;
    int rows = 0;
    for (int y = SyntheticFrames.squareY();
        y < SyntheticFrames.squareY() + SyntheticFrames.SIZE;
        y++) {
      for (int x = 0; x < W; x++) {
        if ((rgb[(y * W + x) * 3] & 0xff) > 125) {
          sum += x;
          rows++;
          break;
        }
      }
    }
    return sum / rows;
  }
}
