package dev.reelfarm.encoder.media;

import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import java.io.IOException;

/**
 * A clip's output frames at native size, in order: its stitched native frames converted to the
 * preset's rate by the request's interpolation (motion-compensated through FFmpeg, or mixed by
 * {@link ClipFrames}). What goes into the upscale and x264 for the clip's own video, and for its
 * shot in a sequence, so a shot looks in a sequence as in its own video.
 */
public final class ClipPictures implements AutoCloseable {
  private final ClipFrames frames;
  private final FrameRateConverter fps;
  private final MotionInterpolator motion; // null unless the converter interpolates motion

  public ClipPictures(ClipFrames frames, FrameRateConverter fps, int nativeWidth, int nativeHeight)
      throws IOException {
    this.frames = frames;
    this.fps = fps;
    this.motion =
        fps.interpolation() == FrameRateConverter.Interpolation.MOTION
            ? new MotionInterpolator(frames, fps, nativeWidth, nativeHeight)
            : null;
  }

  public FrameRateConverter fps() {
    return fps;
  }

  public ClipFrames frames() {
    return frames;
  }

  /**
   * Output frame {@code j}, RGB24 at native size; frames must be asked for in order. The array is
   * shared: read it before the next call, never write it.
   */
  public byte[] outputFrame(int j) throws IOException {
    FrameRateConverter.OutputFrame f = fps.frame(j);
    return motion != null ? motion.outputFrame(f) : frames.outputFrame(f);
  }

  @Override
  public void close() throws IOException {
    if (motion != null) motion.close();
  }
}
