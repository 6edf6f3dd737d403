package dev.reelfarm.mediaqa;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * What a platform checks on upload, read from the packets (no decode): whether every GOP is closed,
 * the peak bitrate, the audio track, edit lists. {@link VideoProbe} covers the stream properties
 * and frames.
 */
public final class DeliveryProbe {
  static {
    org.bytedeco.ffmpeg.global.avutil.av_log_set_level(
        org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING);
  }

  private static final int NAL_IDR = 5;

  /** One video packet in decode order; times in seconds. */
  public record Packet(double dts, double pts, int bytes, boolean key, boolean idr) {}

  /**
   * @param sampleRate Hz
   * @param profileName e.g. {@code LC}
   */
  public record Audio(String codec, String profileName, int sampleRate, int channels) {}

  /**
   * @param packets video packets in decode order
   * @param audio the first audio stream, if any
   * @param editList the index has an edit list ({@code elst} box)
   * @param encoderSettings x264's settings string from its SEI (e.g. {@code ... vbv_maxrate=8000
   *     ...}), empty when none
   */
  public record Delivery(
      List<Packet> packets, Optional<Audio> audio, boolean editList, String encoderSettings) {

    /** Key packets' indices in decode order. */
    public List<Integer> keyPackets() {
      List<Integer> keys = new ArrayList<>();
      for (int i = 0; i < packets.size(); i++) if (packets.get(i).key()) keys.add(i);
      return keys;
    }

    /**
     * Every GOP is closed: each key packet is an IDR picture and no packet after it in decode order
     * is shown before it (no leading pictures referring to the previous GOP).
     */
    public boolean closedGops() {
      for (int k : keyPackets()) {
        Packet key = packets.get(k);
        if (!key.idr()) return false;
        for (int i = k + 1; i < packets.size(); i++) {
          if (packets.get(i).pts() < key.pts()) return false;
        }
      }
      return true;
    }

    /** The most video bits in any {@code window} seconds (by decode time), per second. */
    public double peakBitsPerSecond(double window) {
      double peak = 0;
      int end = 0;
      long bytes = 0;
      for (int start = 0; start < packets.size(); start++) {
        while (end < packets.size() && packets.get(end).dts() < packets.get(start).dts() + window) {
          bytes += packets.get(end++).bytes();
        }
        peak = Math.max(peak, bytes * 8.0 / window);
        bytes -= packets.get(start).bytes();
      }
      return peak;
    }

    /** Average video bitrate over the stream, bits per second. */
    public double averageBitsPerSecond(double durationSeconds) {
      return packets.stream().mapToLong(Packet::bytes).sum() * 8.0 / durationSeconds;
    }
  }

  public static Delivery probe(Path video) throws IOException {
    if (!Files.isRegularFile(video)) throw new IOException("no video at " + video);
    List<Packet> packets = new ArrayList<>();
    Optional<Audio> audio = Optional.empty();
    String settings = "";
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile())) {
      grabber.start();
      AVFormatContext format = grabber.getFormatContext();
      int videoIndex = -1;
      for (int i = 0; i < format.nb_streams(); i++) {
        AVCodecParameters par = format.streams(i).codecpar();
        if (par.codec_type() == AVMEDIA_TYPE_VIDEO && videoIndex < 0) videoIndex = i;
        if (par.codec_type() == AVMEDIA_TYPE_AUDIO && audio.isEmpty()) {
          audio =
              Optional.of(
                  new Audio(
                      string(avcodec_get_name(par.codec_id())),
                      string(avcodec_profile_name(par.codec_id(), par.profile())),
                      par.sample_rate(),
                      par.ch_layout().nb_channels()));
        }
      }
      if (videoIndex < 0) throw new IOException(video + " has no video stream");
      AVStream stream = format.streams(videoIndex);
      double timeBase = stream.time_base().num() / (double) stream.time_base().den();
      int lengthSize = nalLengthSize(stream.codecpar());
      for (AVPacket p; (p = grabber.grabPacket()) != null; ) {
        if (p.stream_index() != videoIndex) continue;
        byte[] data = new byte[p.size()];
        p.data().position(0).get(data);
        if (settings.isEmpty()) settings = x264Settings(data);
        packets.add(
            new Packet(
                p.dts() * timeBase,
                p.pts() * timeBase,
                p.size(),
                (p.flags() & AV_PKT_FLAG_KEY) != 0,
                hasNal(data, lengthSize, NAL_IDR)));
      }
    }
    return new Delivery(List.copyOf(packets), audio, hasEditList(video), settings);
  }

  /** AVCC length-prefix size from the {@code avcC} record (byte 4, low 2 bits + 1). */
  private static int nalLengthSize(AVCodecParameters par) {
    if (par.extradata_size() < 5) return 4;
    return (par.extradata().get(4) & 0x3) + 1;
  }

  private static boolean hasNal(byte[] data, int lengthSize, int type) {
    int pos = 0;
    while (pos + lengthSize < data.length) {
      int len = 0;
      for (int i = 0; i < lengthSize; i++) len = (len << 8) | (data[pos + i] & 0xff);
      pos += lengthSize;
      if (len <= 0 || pos + len > data.length) return false;
      if ((data[pos] & 0x1f) == type) return true;
      pos += len;
    }
    return false;
  }

  private static String x264Settings(byte[] data) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    int start = text.indexOf("x264 - core");
    if (start < 0) return "";
    int end = text.indexOf('\0', start);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  /** Whether the top-level {@code moov} box holds an {@code elst} (edit list) box. */
  private static boolean hasEditList(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(8);
      while (pos + 8 <= ch.size()) {
        header.clear();
        ch.read(header, pos);
        long size = Integer.toUnsignedLong(header.getInt(0));
        String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
        if (size < 8) throw new IOException(file + ": unexpected box size at " + pos);
        if (type.equals("moov")) {
          ByteBuffer moov = ByteBuffer.allocate(Math.toIntExact(size));
          ch.read(moov, pos);
          return new String(moov.array(), StandardCharsets.ISO_8859_1).contains("elst");
        }
        pos += size;
      }
      throw new IOException(file + " has no moov box");
    }
  }

  private static String string(BytePointer p) {
    return p == null || p.isNull() ? "unknown" : p.getString();
  }

  private DeliveryProbe() {}
}
