package dev.reelfarm.encoder.media;

import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Encodes a stitched clip into an MP4 through {@link Mp4Encoder}, output frame by output frame in
 * order, as far as its native frames are available: a clip can be encoded while its later chunks
 * still render. Also writes the poster.
 */
public final class ClipEncoder implements AutoCloseable {

  /** What was written; {@code encodeMs} is the time spent encoding, over every call. */
  public record Result(int frames, double durationSeconds, long encodeMs) {}

  private final FrameRateConverter fps;
  private final Mp4Encoder mp4;
  private final ClipPictures pictures;
  private int next;
  private long nanos;

  /** Opens {@code video} for an encoding of the clip {@code frames} assembles, at {@code fps}. */
  public ClipEncoder(
      ClipFrames frames,
      FrameRateConverter fps,
      int nativeWidth,
      int nativeHeight,
      Preset preset,
      Path video)
      throws IOException {
    if (fps.outputFps() != preset.fps()) {
      throw new IllegalArgumentException(
          "frame rate converter targets "
              + fps.outputFps()
              + " fps, "
              + preset.id()
              + " is "
              + preset.fps()
              + " fps");
    }
    this.fps = fps;
    this.pictures = new ClipPictures(frames, fps, nativeWidth, nativeHeight);
    try {
      this.mp4 = new Mp4Encoder(video, preset, nativeWidth, nativeHeight);
    } catch (IOException | RuntimeException e) {
      pictures.close();
      throw e;
    }
  }

  /**
   * Encodes every output frame not written yet whose native frames all lie below {@code
   * nativeFramesReady}.
   *
   * @return output frames written so far
   */
  public int encodeAvailable(int nativeFramesReady) throws IOException {
    long start = System.nanoTime();
    while (next < fps.outputFrames() && fps.lastNativeFrameNeeded(next) < nativeFramesReady) {
      mp4.write(pictures.outputFrame(next));
      next++;
    }
    nanos += System.nanoTime() - start;
    return next;
  }

  public int framesWritten() {
    return next;
  }

  /** Encodes the remaining frames and completes the file (all native frames must be available). */
  public Result finish() throws IOException {
    encodeAvailable(fps.nativeFrames());
    long start = System.nanoTime();
    mp4.finish();
    nanos += System.nanoTime() - start;
    return new Result(fps.outputFrames(), fps.durationSeconds(), nanos / 1_000_000);
  }

  /**
   * Releases the encoder; without {@link #finish()} the file is incomplete and should be deleted.
   */
  @Override
  public void close() throws IOException {
    try {
      mp4.close();
    } finally {
      pictures.close();
    }
  }

  /**
   * Streams every output frame of {@code fps} into an MP4 at {@code video} in one go. The file is
   * complete only when this returns normally.
   */
  public static Result encodeVideo(
      ClipFrames frames,
      FrameRateConverter fps,
      int nativeWidth,
      int nativeHeight,
      Preset preset,
      Path video)
      throws IOException {
    try (ClipEncoder encoder =
        new ClipEncoder(frames, fps, nativeWidth, nativeHeight, preset, video)) {
      return encoder.finish();
    }
  }

  /** The poster: the clip's middle native frame, at the preset's size. */
  public static void writePoster(
      ClipFrames frames,
      int totalNativeFrames,
      int nativeWidth,
      int nativeHeight,
      Preset preset,
      OutputStream out)
      throws IOException {
    PosterWriter.write(
        frames.nativeFrame(totalNativeFrames / 2), nativeWidth, nativeHeight, preset, out);
  }
}
