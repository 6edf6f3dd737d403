package dev.reelfarm.encoder.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.encoder.SyntheticFrames;
import dev.reelfarm.encoder.stitching.ChunkWindow;
import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.NativeFrameSource;
import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.presets.Preset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FFmpeg end to end: synthetic native frames in, an MP4 decoded back out. */
class Mp4EncodingTest {
  private static final int W = SyntheticFrames.WIDTH;
  private static final int H = SyntheticFrames.HEIGHT;
  private static final int NATIVE_FRAMES = 32;
  private static final int NATIVE_FPS = 8;

  /** Per channel, after Lanczos, 4:2:0 chroma and CRF 20, away from edges. */
  private static final int COLOUR_TOLERANCE = 12;

  @TempDir static Path dir;
  private static Path tiktok;

  @BeforeAll
  static void encodeTiktok() throws IOException {
    tiktok = encode(Preset.TIKTOK, "tiktok.mp4");
  }

  private static Path encode(Preset preset, String name) throws IOException {
    ClipAssembler clip =
        ClipAssembler.of(
            NATIVE_FRAMES, List.of(new ChunkWindow(0, 0, NATIVE_FRAMES, 0, NATIVE_FRAMES)));
    NativeFrameSource source =
        (chunk, index, into) ->
            System.arraycopy(SyntheticFrames.frame(index), 0, into, 0, into.length);
    Path out = dir.resolve(name);
    ClipEncoder.Result r =
        ClipEncoder.encodeVideo(
            new ClipFrames(clip, source, W, H),
            new FrameRateConverter(NATIVE_FPS, preset.fps(), NATIVE_FRAMES),
            W,
            H,
            preset,
            out);
    System.out.printf(
        "%s: %d frames %dx%d in %d ms (%.1f ms/frame), %d bytes%n",
        preset.id(),
        r.frames(),
        preset.width(),
        preset.height(),
        r.encodeMs(),
        r.encodeMs() / (double) r.frames(),
        Files.size(out));
    return out;
  }

  @Test
  void tiktokClipIsH264HighYuv420pAt1080x1920And30FpsWith120FramesAndFaststart()
      throws IOException {
    VideoInfo info = VideoProbe.probe(tiktok);
    System.out.println("probe: " + info);
    assertThat(info.codec()).isEqualTo("h264");
    assertThat(info.profile()).isEqualTo(VideoInfo.H264_PROFILE_HIGH);
    assertThat(info.profileName()).isEqualTo("High");
    assertThat(info.width()).isEqualTo(1080);
    assertThat(info.height()).isEqualTo(1920);
    assertThat(info.pixelFormat()).isEqualTo("yuv420p");
    assertThat(info.frameRate()).isCloseTo(30.0, within(1e-9));
    assertThat(info.frames()).isEqualTo(120);
    assertThat(info.durationSeconds()).isCloseTo(4.0, within(0.01));
    assertThat(info.moovBeforeMdat()).isTrue();
  }

  @Test
  void keyFramesFallEveryTwoSecondsAndColoursAreTaggedBt709() throws IOException {
    VideoInfo info = VideoProbe.probe(tiktok);
    assertThat(info.keyFrames()).containsExactly(0, 60);
    assertThat(info.colorPrimaries()).isEqualTo("bt709");
    assertThat(info.colorTransfer()).isEqualTo("bt709");
    assertThat(info.colorSpace()).isEqualTo("bt709");
  }

  @Test
  void decodedFramesShowTheInputColoursAtTheSameRelativePlaces() throws IOException {
    // Output frame 0 is native frame 0; output frame 60 is native frame 16 exactly (t = 2 s).
    assertColoursMatch(VideoProbe.decodeFrame(tiktok, 0), 1080, 1920, 0);
    assertColoursMatch(VideoProbe.decodeFrame(tiktok, 60), 1080, 1920, 16);
  }

  @Test
  void landscapeClipIs1920x1080At30FpsWith120Frames() throws IOException {
    Path landscape = encode(Preset.LANDSCAPE, "landscape.mp4");
    VideoInfo info = VideoProbe.probe(landscape);
    assertThat(info.codec()).isEqualTo("h264");
    assertThat(info.profileName()).isEqualTo("High");
    assertThat(info.width()).isEqualTo(1920);
    assertThat(info.height()).isEqualTo(1080);
    assertThat(info.pixelFormat()).isEqualTo("yuv420p");
    assertThat(info.frameRate()).isCloseTo(30.0, within(1e-9));
    assertThat(info.frames()).isEqualTo(120);
    assertThat(info.moovBeforeMdat()).isTrue();
    assertColoursMatch(VideoProbe.decodeFrame(landscape, 0), 1920, 1080, 0);
  }

  @Test
  void encodingTheSameFramesTwiceGivesIdenticalPictures() throws IOException {
    Path again = encode(Preset.TIKTOK, "tiktok-again.mp4");
    List<String> first = VideoProbe.frameHashes(tiktok);
    assertThat(first).hasSize(120);
    assertThat(VideoProbe.frameHashes(again)).isEqualTo(first);
  }

  @Test
  void posterIsAJpegOfThePresetSizeShowingTheClip() throws IOException {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    PosterWriter.write(SyntheticFrames.frame(16), W, H, Preset.TIKTOK, jpeg);
    byte[] bytes = jpeg.toByteArray();
    assertThat(bytes).startsWith((byte) 0xFF, (byte) 0xD8); // JPEG SOI
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(image.getWidth()).isEqualTo(1080);
    assertThat(image.getHeight()).isEqualTo(1920);
    byte[] rgb = new byte[1080 * 1920 * 3];
    for (int y = 0; y < 1920; y++) {
      for (int x = 0; x < 1080; x++) {
        int p = image.getRGB(x, y);
        int i = (y * 1080 + x) * 3;
        rgb[i] = (byte) (p >> 16);
        rgb[i + 1] = (byte) (p >> 8);
        rgb[i + 2] = (byte) p;
      }
    }
    assertColoursMatch(rgb, 1080, 1920, 16);
  }

  @Test
  void faststartScanFindsTheIndexAfterTheDataInAPlainMp4() throws IOException {
    Path plain = dir.resolve("plain.mp4");
    // ftyp, mdat, moov: what an MP4 looks like without +faststart.
    Files.write(plain, concat(box("ftyp", 8), box("mdat", 100), box("moov", 20)));
    assertThat(VideoProbe.moovBeforeMdat(plain)).isFalse();
    Files.write(plain, concat(box("ftyp", 8), box("moov", 20), box("mdat", 100)));
    assertThat(VideoProbe.moovBeforeMdat(plain)).isTrue();
  }

  /** Compares the square's centre and a background spot with the synthetic input's colours. */
  private static void assertColoursMatch(byte[] rgb, int width, int height, int nativeFrame) {
    double sx = width / (double) W;
    double sy = height / (double) H;
    double squareCentreX = SyntheticFrames.squareX(nativeFrame) + SyntheticFrames.SIZE / 2.0;
    double squareCentreY = SyntheticFrames.squareY() + SyntheticFrames.SIZE / 2.0;
    assertPixel(
        rgb, width, (int) (squareCentreX * sx), (int) (squareCentreY * sy), SyntheticFrames.SQUARE);
    assertPixel(
        rgb, width, (int) (W * 0.8 * sx), (int) (H * 0.15 * sy), SyntheticFrames.BACKGROUND);
  }

  private static void assertPixel(byte[] rgb, int width, int x, int y, int[] expected) {
    int i = (y * width + x) * 3;
    int[] actual = {rgb[i] & 0xff, rgb[i + 1] & 0xff, rgb[i + 2] & 0xff};
    for (int c = 0; c < 3; c++) {
      assertThat(actual[c])
          .as(
              "channel %d at (%d, %d): %s vs %s",
              c, x, y, java.util.Arrays.toString(actual), java.util.Arrays.toString(expected))
          .isCloseTo(expected[c], within(COLOUR_TOLERANCE));
    }
  }

  private static byte[] box(String type, int size) {
    byte[] b = new byte[size];
    b[0] = (byte) (size >>> 24);
    b[1] = (byte) (size >>> 16);
    b[2] = (byte) (size >>> 8);
    b[3] = (byte) size;
    for (int i = 0; i < 4; i++) b[4 + i] = (byte) type.charAt(i);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
