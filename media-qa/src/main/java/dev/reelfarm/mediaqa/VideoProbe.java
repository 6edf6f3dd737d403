package dev.reelfarm.mediaqa;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_color_primaries_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_space_name;
import static org.bytedeco.ffmpeg.global.avutil.av_color_transfer_name;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads back what an encoder wrote: stream properties, a real decode of every frame, and the MP4
 * box order. Used by the encoder's tests, the eval, {@code reelfarm seams} and the end-to-end tests
 * to check outputs by decoding them rather than trusting the encoder's own report.
 */
public final class VideoProbe {
  static {
    // The grabber dumps the stream layout at INFO on every open: noise on a CLI's output.
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
        org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING);
  }

  /** Receives decoded frames in order. */
  @FunctionalInterface
  public interface FrameVisitor {
    /**
     * {@code rgb} is RGB24, top row first, {@code width · height · 3} bytes; it is reused after
     * return.
     */
    void frame(int index, int width, int height, byte[] rgb) throws IOException;
  }

  /** Stream properties plus a full decode (frame count) and the box order. */
  public static VideoInfo probe(Path video) throws IOException {
    boolean moovFirst = moovBeforeMdat(video);
    try (FFmpegFrameGrabber grabber = rawGrabber(video)) {
      AVFormatContext format = grabber.getFormatContext();
      AVStream stream = videoStream(format, video);
      AVCodecParameters par = stream.codecpar();
      int frames = 0;
      List<Integer> keyFrames = new ArrayList<>();
      for (Frame f; (f = grabber.grabImage()) != null; frames++) {
        if (f.keyFrame) keyFrames.add(frames);
      }
      AVRational rate =
          stream.avg_frame_rate().num() > 0 ? stream.avg_frame_rate() : stream.r_frame_rate();
      double duration =
          stream.duration() != AV_NOPTS_VALUE
              ? stream.duration() * (double) stream.time_base().num() / stream.time_base().den()
              : format.duration() / (double) AV_TIME_BASE;
      return new VideoInfo(
          string(avcodec_get_name(par.codec_id())),
          par.profile(),
          string(avcodec_profile_name(par.codec_id(), par.profile())),
          par.width(),
          par.height(),
          string(av_get_pix_fmt_name(par.format())),
          rate.den() == 0 ? 0 : rate.num() / (double) rate.den(),
          frames,
          List.copyOf(keyFrames),
          duration,
          moovFirst,
          string(av_color_primaries_name(par.color_primaries())),
          string(av_color_transfer_name(par.color_trc())),
          string(av_color_space_name(par.color_space())),
          Files.size(video));
    }
  }

  /**
   * Decodes every frame to RGB24, honouring the stream's YUV matrix and range (BT.709 here), and
   * hands each to {@code visitor}. Streams: one frame in memory at a time.
   */
  public static void decodeFrames(Path video, FrameVisitor visitor) throws IOException {
    try (FFmpegFrameGrabber grabber = rawGrabber(video)) {
      RgbConverter toRgb = null;
      byte[] rgb = null;
      try {
        Frame f;
        for (int index = 0; (f = grabber.grabImage()) != null; index++) {
          AVFrame av = (AVFrame) f.opaque;
          if (toRgb == null) {
            toRgb = new RgbConverter(av);
            rgb = new byte[toRgb.rgbSize()];
          }
          toRgb.convert(av, rgb);
          visitor.frame(index, av.width(), av.height(), rgb);
        }
      } finally {
        if (toRgb != null) toRgb.close();
      }
    }
  }

  /** RGB24 of decoded frame {@code index}. */
  public static byte[] decodeFrame(Path video, int index) throws IOException {
    byte[][] found = new byte[1][];
    decodeFrames(
        video,
        (i, w, h, rgb) -> {
          if (i == index) found[0] = rgb.clone();
        });
    if (found[0] == null) throw new IOException(video + " has no frame " + index);
    return found[0];
  }

  /**
   * SHA-256 of each decoded frame's planes exactly as decoded (no colour conversion), in order: two
   * files show the same pictures iff their lists are equal.
   */
  public static List<String> frameHashes(Path video) throws IOException {
    List<String> hashes = new ArrayList<>();
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (FFmpegFrameGrabber grabber = rawGrabber(video)) {
      BytePointer packed = null;
      byte[] bytes = null;
      try {
        Frame f;
        while ((f = grabber.grabImage()) != null) {
          AVFrame av = (AVFrame) f.opaque;
          int size = av_image_get_buffer_size(av.format(), av.width(), av.height(), 1);
          if (packed == null || bytes.length != size) {
            if (packed != null) packed.close();
            packed = new BytePointer(size);
            bytes = new byte[size];
          }
          av_image_copy_to_buffer(
              packed, size, av.data(), av.linesize(), av.format(), av.width(), av.height(), 1);
          packed.position(0).get(bytes, 0, size);
          hashes.add(HexFormat.of().formatHex(sha.digest(bytes)));
        }
      } finally {
        if (packed != null) packed.close();
      }
    }
    return hashes;
  }

  /**
   * Whether the top-level {@code moov} box comes before {@code mdat}, found by walking the file's
   * top-level boxes (size, type; size 1 = 64-bit size follows; size 0 = to the end of the file).
   */
  public static boolean moovBeforeMdat(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(16);
      while (pos + 8 <= size) {
        header.clear().limit(8);
        readFully(ch, header, pos);
        long boxSize = Integer.toUnsignedLong(header.getInt(0));
        String type =
            new String(header.array(), 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (boxSize == 1) {
          header.clear().limit(8);
          readFully(ch, header, pos + 8);
          boxSize = header.getLong(0);
        } else if (boxSize == 0) {
          boxSize = size - pos;
        }
        if (type.equals("moov")) return true;
        if (type.equals("mdat")) return false;
        if (boxSize < 8)
          throw new IOException(file + ": malformed MP4 box '" + type + "' at offset " + pos);
        pos += boxSize;
      }
      throw new IOException(file + " has neither a moov nor an mdat box at the top level");
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0)
        throw new IOException("truncated MP4 box header at " + pos);
    }
  }

  private static FFmpegFrameGrabber rawGrabber(Path video) throws IOException {
    if (!Files.isRegularFile(video)) throw new IOException("no video at " + video);
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
    // RAW: hand back the decoder's own AVFrame; conversions are ours (and honour bt709).
    grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    try {
      grabber.start();
    } catch (IOException | RuntimeException e) {
      grabber.release();
      throw e;
    }
    return grabber;
  }

  private static AVStream videoStream(AVFormatContext format, Path video) throws IOException {
    for (int i = 0; i < format.nb_streams(); i++) {
      AVStream s = format.streams(i);
      if (s.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) return s;
    }
    throw new IOException(video + " has no video stream");
  }

  private static String string(BytePointer p) {
    return p == null || p.isNull() ? "unknown" : p.getString();
  }

  private VideoProbe() {}
}
