package dev.reelfarm.encoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.FrameRateConverter.OutputFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameFilter;

/**
 * Motion-compensated frame rate conversion at native size, before the upscale: FFmpeg's {@code
 * minterpolate} in {@code mci} mode (bidirectional block motion estimation, overlapped-block motion
 * compensation) through a JavaCV filter graph. Native frames go in, in order, as output frames are
 * asked for; minterpolate emits an output instant once the native frame after it has arrived, so
 * output frame {@code j} needs native frames up to {@link
 * FrameRateConverter#lastNativeFrameNeeded}. Past the last native frame, that frame is pushed again
 * so the filter emits the clip's tail. Deterministic: the filter graph runs on this thread and
 * minterpolate has no random state.
 *
 * <p>Output instants that fall on a native frame show that native frame itself, so the three
 * interpolation modes agree exactly there.
 */
final class MotionInterpolator implements AutoCloseable {
  /**
   * minterpolate works on planar YUV only; 4:4:4 keeps full chroma through the round trip. 8×8
   * blocks: the model's frames are 64×112, where the default 16×16 blocks are wider than the
   * objects it draws.
   */
  static final String FILTER =
      "format=yuv444p,minterpolate=fps=%d:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1"
          + ":mb_size=8,format=rgb24";

  private final ClipFrames frames;
  private final int nativeFrames;
  private final int width;
  private final int height;
  private final FFmpegFrameFilter filter;
  private final Frame input;
  private final byte[] interpolated;
  private int pushed;
  private int pulled;

  MotionInterpolator(ClipFrames frames, FrameRateConverter fps, int width, int height)
      throws IOException {
    this.frames = frames;
    this.nativeFrames = fps.nativeFrames();
    this.width = width;
    this.height = height;
    this.interpolated = new byte[width * height * 3];
    this.input = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
    FFmpegFrameFilter f =
        new FFmpegFrameFilter(String.format(FILTER, fps.outputFps()), width, height);
    f.setPixelFormat(AV_PIX_FMT_RGB24);
    f.setFrameRate(fps.nativeFps());
    try {
      f.start();
    } catch (FrameFilter.Exception e) {
      f.close();
      throw new IOException("cannot start the minterpolate filter graph: " + e.getMessage(), e);
    }
    this.filter = f;
  }

  /**
   * The native-resolution picture of output frame {@code f}; frames must be asked for in order. The
   * array is shared: read it before the next call.
   */
  byte[] outputFrame(OutputFrame f) throws IOException {
    if (f.index() < pulled - 1) {
      throw new IllegalStateException("output frame " + f.index() + " after " + (pulled - 1));
    }
    try {
      while (pulled <= f.index()) {
        Frame out = filter.pull();
        if (out == null) {
          push();
          continue;
        }
        if (pulled == f.index()) copy(out, interpolated);
        pulled++;
      }
    } catch (FrameFilter.Exception e) {
      throw new IOException("minterpolate failed at output frame " + f.index(), e);
    }
    return f.weight() == 0 ? frames.nativeFrame(f.from()) : interpolated;
  }

  private void push() throws IOException, FrameFilter.Exception {
    byte[] rgb = frames.nativeFrame(Math.min(pushed, nativeFrames - 1));
    ByteBuffer buf = (ByteBuffer) input.image[0];
    int row = width * 3;
    for (int y = 0; y < height; y++) {
      buf.position(y * input.imageStride).put(rgb, y * row, row);
    }
    buf.position(0);
    filter.push(input, AV_PIX_FMT_RGB24);
    pushed++;
  }

  private void copy(Frame out, byte[] into) {
    ByteBuffer buf = (ByteBuffer) out.image[0];
    int row = width * 3;
    int stride = buf.limit() / height;
    for (int y = 0; y < height; y++) {
      buf.position(y * stride).get(into, y * row, row);
    }
    buf.position(0);
  }

  @Override
  public void close() throws IOException {
    try {
      filter.close();
    } catch (FrameFilter.Exception e) {
      throw new IOException(e);
    } finally {
      input.close();
    }
  }
}
