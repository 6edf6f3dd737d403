package dev.reelfarm.mediaqa;

import java.util.List;

/**
 * What {@link VideoProbe} found in a video file.
 *
 * @param codec decoder name of the video stream, e.g. {@code h264}
 * @param profile codec profile number ({@code 100} = H.264 High)
 * @param profileName e.g. {@code High}, {@code Constrained Baseline}
 * @param pixelFormat e.g. {@code yuv420p}
 * @param frameRate average frame rate of the stream
 * @param frames frames actually decoded
 * @param keyFrames indices of decoded key frames (every 2 s for our presets)
 * @param durationSeconds duration of the video stream
 * @param moovBeforeMdat the index precedes the media data ({@code +faststart})
 * @param colorPrimaries e.g. {@code bt709}; {@code unknown} when untagged
 * @param colorTransfer e.g. {@code bt709}
 * @param colorSpace the YUV matrix, e.g. {@code bt709}
 * @param sizeBytes file size
 */
public record VideoInfo(
    String codec,
    int profile,
    String profileName,
    int width,
    int height,
    String pixelFormat,
    double frameRate,
    int frames,
    List<Integer> keyFrames,
    double durationSeconds,
    boolean moovBeforeMdat,
    String colorPrimaries,
    String colorTransfer,
    String colorSpace,
    long sizeBytes) {

  /** FFmpeg's number for the H.264 High profile. */
  public static final int H264_PROFILE_HIGH = 100;
}
