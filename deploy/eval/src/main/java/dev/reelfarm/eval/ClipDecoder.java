package dev.reelfarm.eval;

import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Reads a rendered MP4 back as the model's native frames: the decoded frame nearest to each native
 * instant, area-averaged to the world's native size.
 *
 * <p>Why not every decoded frame: the encoder converts 8 fps to the preset's 30 fps by mixing
 * neighbouring native frames, which gives a moving object a half-contrast double edge in 3 of 4
 * output frames. The frame nearest to a native instant is at most half an output frame (0.13 of a
 * native frame) away from it, so it is nearly unmixed; scoring those frames scores what the model
 * drew, with the thresholds measured at the native rate. Decoding uses the encoder's {@link
 * VideoProbe}, which honours the stream's BT.709 matrix (a BT.601 decode shifts colours).
 */
public final class ClipDecoder {

  /** A decoded clip: frames at the native size and when each is shown, in native frames. */
  public record NativeClip(List<RgbFrame> frames, double[] times, VideoInfo video) {}

  static {
    // FFmpegFrameGrabber.start() dumps each file's streams at INFO; the eval opens every clip
    // twice.
    avutil.av_log_set_level(avutil.AV_LOG_WARNING);
  }

  private ClipDecoder() {}

  /**
   * @param nativeFps the model's frame rate (the job's {@code nativeFps}; 8 for the shapes world)
   * @throws IOException when the file cannot be read or decoded, or has no frame rate
   */
  public static NativeClip decode(Path mp4, ShapesWorld world, double nativeFps)
      throws IOException {
    if (!(nativeFps > 0)) throw new IllegalArgumentException("native fps must be positive");
    VideoInfo info = VideoProbe.probe(mp4);
    if (!(info.frameRate() > 0)) throw new IOException(mp4 + " states no frame rate");
    if (info.frames() == 0) throw new IOException(mp4 + " has no frames");
    List<Sample> samples = nativeSamples(info.frames(), info.frameRate(), nativeFps);
    var frames = new ArrayList<RgbFrame>(samples.size());
    double[] times = new double[samples.size()];
    int[] next = {0};
    AreaDownsampler[] resampler = {null};
    VideoProbe.decodeFrames(
        mp4,
        (index, width, height, rgb) -> {
          if (next[0] >= samples.size() || samples.get(next[0]).decodedIndex() != index) return;
          if (resampler[0] == null || !resampler[0].accepts(width, height)) {
            resampler[0] = new AreaDownsampler(width, height, world.width(), world.height());
          }
          frames.add(resampler[0].apply(rgb));
          times[next[0]] = samples.get(next[0]).nativeTime();
          next[0]++;
        });
    if (next[0] < samples.size()) {
      throw new IOException(
          mp4
              + ": decoded fewer frames than the probe counted ("
              + next[0]
              + " of the "
              + samples.size()
              + " needed)");
    }
    return new NativeClip(List.copyOf(frames), times, info);
  }

  /** A decoded frame to score and the native instant it shows. */
  record Sample(int decodedIndex, double nativeTime) {}

  /**
   * For native frames k = 0, 1, …: the decoded frame nearest to the instant {@code k / nativeFps},
   * while it exists, each decoded frame at most once; its own instant in native frames.
   */
  static List<Sample> nativeSamples(int decodedFrames, double fps, double nativeFps) {
    var samples = new ArrayList<Sample>();
    int last = -1;
    for (int k = 0; ; k++) {
      int j = (int) Math.round(k * fps / nativeFps);
      if (j >= decodedFrames) break;
      if (j == last) continue;
      samples.add(new Sample(j, j * nativeFps / fps));
      last = j;
    }
    return samples;
  }
}
