package dev.reelfarm.encoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_LANCZOS;

import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Streams native-resolution RGB24 frames into an H.264 MP4 at a preset's size and rate: each frame
 * is upscaled with Lanczos straight into yuv420p (BT.709 matrix, limited range) — scaling into RGB
 * first would cost ~20× more — and handed to libx264. One frame is in memory at a time.
 *
 * <p>Per preset (its platform's recommendations, see {@link Preset}): the closed GOP's length (a
 * keyframe every {@code gopFrames} exactly, each an IDR, no scene-cut keyframes, so segments cut
 * cleanly), a VBV cap on the bitrate (CRF 20 below it: "capped CRF", one second of buffer), and a
 * silent AAC-LC 48 kHz stereo track. Fixed for every preset: libx264 {@code veryfast} ({@code
 * ultrafast} would give Constrained Baseline), profile High, 2 consecutive B-frames (YouTube's
 * recommendation), bt709 colour tags, no edit lists (YouTube and Meta ask for none) and {@code
 * +faststart} (moov before mdat, so playback starts before the download ends). {@code +faststart}
 * rewrites the file at the end, so the output must be a seekable file, not a stream.
 */
public final class Mp4Encoder implements AutoCloseable {
  static final int CRF = 20;
  static final String X264_PRESET = "veryfast";
  static final int B_FRAMES = 2;
  static final int AUDIO_BITRATE = 128_000;

  static {
    // FFmpeg logs to stderr; x264's per-encode info lines are noise in a service log.
    avutil.av_log_set_level(avutil.AV_LOG_WARNING);
  }

  private final Path output;
  private final int sourceWidth;
  private final int sourceHeight;
  private final FFmpegFrameRecorder recorder;
  private final PixelConverter scaler;
  private final Frame frame = new Frame();
  private final int fps;
  private final boolean audio;
  private final short[] silence;
  private long samplesWritten;
  private int framesWritten;
  private boolean finished;

  /**
   * Opens {@code output} for writing.
   *
   * @param sourceWidth width of the frames that {@link #write} takes (native model resolution)
   * @param sourceHeight their height
   */
  public Mp4Encoder(Path output, Preset preset, int sourceWidth, int sourceHeight)
      throws IOException {
    if (sourceWidth <= 0 || sourceHeight <= 0) {
      throw new IllegalArgumentException("source size " + sourceWidth + "x" + sourceHeight);
    }
    this.output = output;
    this.sourceWidth = sourceWidth;
    this.sourceHeight = sourceHeight;
    this.fps = preset.fps();
    this.audio = preset.silentAudio();
    // One frame's share of samples, rounded up, interleaved stereo.
    this.silence = new short[(Preset.AUDIO_SAMPLE_RATE / fps + 1) * Preset.AUDIO_CHANNELS];
    int gop = preset.gopFrames();
    int maxKbps = preset.maxBitrateKbps();
    FFmpegFrameRecorder r =
        new FFmpegFrameRecorder(
            output.toFile(), preset.width(), preset.height(), audio ? Preset.AUDIO_CHANNELS : 0);
    r.setFormat("mp4");
    r.setVideoCodecName("libx264");
    r.setPixelFormat(AV_PIX_FMT_YUV420P);
    r.setFrameRate(preset.fps());
    r.setGopSize(gop);
    r.setVideoOption("preset", X264_PRESET);
    r.setVideoOption("profile", "high");
    r.setVideoOption("crf", Integer.toString(CRF));
    r.setVideoOption("flags", "+cgop");
    // sync-lookahead=0: with x264's threaded lookahead, identical frames encoded twice gave
    // different bitstreams from the second GOP on (measured); the farm promises identical clips for
    // identical requests, whichever workers rendered them. threads=1: with frame threads the clip
    // still diverged from the second GOP on when the chunks' frames arrived at other times (S3
    // downloads; MultiHostIT, byte-identical chunk frames, measured).
    r.setVideoOption(
        "x264-params",
        "keyint="
            + gop
            + ":min-keyint="
            + gop
            + ":scenecut=0:open-gop=0:sync-lookahead=0:threads=1:bframes="
            + B_FRAMES
            + ":vbv-maxrate="
            + maxKbps
            + ":vbv-bufsize="
            + maxKbps);
    r.setVideoOption("color_primaries", "bt709");
    r.setVideoOption("color_trc", "bt709");
    r.setVideoOption("colorspace", "bt709");
    r.setVideoOption("color_range", "tv");
    r.setOption("movflags", "+faststart");
    r.setOption("use_editlist", "0");
    if (audio) {
      r.setAudioCodecName("aac"); // FFmpeg's native encoder: AAC-LC
      r.setSampleRate(Preset.AUDIO_SAMPLE_RATE);
      r.setAudioBitrate(AUDIO_BITRATE);
    }
    PixelConverter s = null;
    try {
      s =
          new PixelConverter(
              sourceWidth,
              sourceHeight,
              AV_PIX_FMT_RGB24,
              preset.width(),
              preset.height(),
              AV_PIX_FMT_YUV420P,
              SWS_LANCZOS | SWS_ACCURATE_RND,
              new PixelConverter.Colour(SWS_CS_ITU709, false));
      r.start();
    } catch (IOException | RuntimeException e) {
      if (s != null) s.close();
      r.release();
      throw e;
    }
    this.recorder = r;
    this.scaler = s;
    // The recorder takes a frame already at codec size and format as is (no second conversion).
    frame.imageWidth = preset.width();
    frame.imageHeight = preset.height();
    frame.imageDepth = Frame.DEPTH_UBYTE;
    frame.imageChannels = 1;
    frame.imageStride = preset.width();
  }

  /** Appends one RGB24 frame of the source size (top row first). */
  public void write(byte[] rgb) throws IOException {
    if (finished) throw new IllegalStateException("encoder for " + output + " already finished");
    if (rgb.length != sourceWidth * sourceHeight * 3) {
      throw new IllegalArgumentException(
          "frame has "
              + rgb.length
              + " bytes, expected "
              + sourceWidth
              + "x"
              + sourceHeight
              + "x3");
    }
    BytePointer yuv = scaler.convert(rgb);
    frame.image = new Buffer[] {yuv.position(0).limit(scaler.dstSize()).asByteBuffer()};
    recorder.record(frame, AV_PIX_FMT_YUV420P);
    framesWritten++;
    if (audio) recordSilenceUpTo(framesWritten);
  }

  /** Silent samples until the audio lasts exactly as long as {@code frames} video frames. */
  private void recordSilenceUpTo(int frames) throws IOException {
    long due = (long) frames * Preset.AUDIO_SAMPLE_RATE / fps - samplesWritten;
    if (due <= 0) return;
    recorder.recordSamples(
        Preset.AUDIO_SAMPLE_RATE,
        Preset.AUDIO_CHANNELS,
        ShortBuffer.wrap(silence, 0, (int) due * Preset.AUDIO_CHANNELS));
    samplesWritten += due;
  }

  public int framesWritten() {
    return framesWritten;
  }

  /** Flushes the encoder and writes the index (moved to the front of the file). */
  public void finish() throws IOException {
    if (finished) return;
    finished = true;
    recorder.stop();
  }

  /**
   * Releases native resources; without {@link #finish()} the file is incomplete and should be
   * deleted.
   */
  @Override
  public void close() throws IOException {
    try {
      recorder.release();
    } finally {
      scaler.close();
    }
  }
}
