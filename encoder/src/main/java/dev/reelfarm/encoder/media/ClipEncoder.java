package dev.reelfarm.encoder.media;

import dev.reelfarm.schema.presets.Preset;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Encodes a stitched clip: its output frames, in order, through {@link Mp4Encoder}; and its poster. */
public final class ClipEncoder {

  /** What was written. */
  public record Result(int frames, double durationSeconds, long encodeMs) {}

  /**
   * Streams every output frame of {@code fps} (assembled by {@code frames} at native size) into an
   * MP4 at {@code video}. The file is complete only when this returns normally.
   */
  public static Result encodeVideo(
      ClipFrames frames, FrameRateConverter fps, int nativeWidth, int nativeHeight, Preset preset, Path video)
      throws IOException {
    if (fps.outputFps() != preset.fps()) {
      throw new IllegalArgumentException("frame rate converter targets " + fps.outputFps() + " fps, " + preset.id()
          + " is " + preset.fps() + " fps");
    }
    long start = System.nanoTime();
    try (Mp4Encoder encoder = new Mp4Encoder(video, preset, nativeWidth, nativeHeight)) {
      for (int j = 0; j < fps.outputFrames(); j++) {
        encoder.write(frames.outputFrame(fps.frame(j)));
      }
      encoder.finish();
    }
    return new Result(fps.outputFrames(), fps.durationSeconds(), (System.nanoTime() - start) / 1_000_000);
  }

  /** The poster: the clip's middle native frame, at the preset's size. */
  public static void writePoster(
      ClipFrames frames, int totalNativeFrames, int nativeWidth, int nativeHeight, Preset preset, OutputStream out)
      throws IOException {
    PosterWriter.write(frames.nativeFrame(totalNativeFrames / 2), nativeWidth, nativeHeight, preset, out);
  }

  private ClipEncoder() {}
}
