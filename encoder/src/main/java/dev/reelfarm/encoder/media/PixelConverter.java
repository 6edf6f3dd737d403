package dev.reelfarm.encoder.media;

import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.io.IOException;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One swscale conversion (size and/or pixel format) with its native buffers, reused frame after
 * frame. We own the SwsContext instead of letting FFmpegFrameRecorder scale because the recorder's
 * context always uses the BT.601 matrix: a 1080p stream tagged bt709 (what players assume for HD)
 * would show shifted colours. Buffers are packed (alignment 1), so a whole frame is one contiguous
 * block. Not thread-safe; one owner closes it.
 */
final class PixelConverter implements AutoCloseable {
  /** The RGB ↔ YUV matrix and range on the YUV side; ignored when neither side is YUV. */
  record Colour(int swsMatrix, boolean fullRange) {}

  private final SwsContext context;
  private final int srcWidth;
  private final int srcHeight;
  private final int srcFormat;
  private final BytePointer srcBuffer;
  private final PointerPointer<BytePointer> srcData = new PointerPointer<>(4);
  private final IntPointer srcLinesize = new IntPointer(4);
  private final BytePointer dstBuffer;
  private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
  private final IntPointer dstLinesize = new IntPointer(4);
  private final int srcSize;
  private final int dstSize;

  PixelConverter(
      int srcWidth,
      int srcHeight,
      int srcFormat,
      int dstWidth,
      int dstHeight,
      int dstFormat,
      int flags,
      Colour colour)
      throws IOException {
    this.srcWidth = srcWidth;
    this.srcHeight = srcHeight;
    this.srcFormat = srcFormat;
    SwsContext ctx =
        sws_getContext(
            srcWidth,
            srcHeight,
            srcFormat,
            dstWidth,
            dstHeight,
            dstFormat,
            flags,
            null,
            null,
            (DoublePointer) null);
    if (ctx == null || ctx.isNull()) {
      throw new IOException(
          "swscale cannot convert "
              + srcWidth
              + "x"
              + srcHeight
              + " (format "
              + srcFormat
              + ") to "
              + dstWidth
              + "x"
              + dstHeight
              + " (format "
              + dstFormat
              + ")");
    }
    this.context = ctx;
    IntPointer matrix = sws_getCoefficients(colour.swsMatrix());
    int yuvRange = colour.fullRange() ? 1 : 0;
    // RGB sides are always full range; the YUV side gets the requested matrix and range.
    sws_setColorspaceDetails(context, matrix, yuvRange, matrix, yuvRange, 0, 1 << 16, 1 << 16);
    this.srcSize = av_image_get_buffer_size(srcFormat, srcWidth, srcHeight, 1);
    this.dstSize = av_image_get_buffer_size(dstFormat, dstWidth, dstHeight, 1);
    this.srcBuffer = new BytePointer(srcSize);
    this.dstBuffer = new BytePointer(dstSize);
    av_image_fill_arrays(srcData, srcLinesize, srcBuffer, srcFormat, srcWidth, srcHeight, 1);
    av_image_fill_arrays(dstData, dstLinesize, dstBuffer, dstFormat, dstWidth, dstHeight, 1);
  }

  int srcSize() {
    return srcSize;
  }

  int dstSize() {
    return dstSize;
  }

  /** Converts a packed source frame; the result stays valid until the next call. */
  BytePointer convert(byte[] packedSource) {
    if (packedSource.length != srcSize) {
      throw new IllegalArgumentException(
          "frame has " + packedSource.length + " bytes, expected " + srcSize);
    }
    srcBuffer.position(0).put(packedSource, 0, srcSize);
    sws_scale(context, srcData, srcLinesize, 0, srcHeight, dstData, dstLinesize);
    return dstBuffer;
  }

  /**
   * Converts planes held elsewhere (e.g. a decoded AVFrame); the result stays valid until the next
   * call.
   */
  BytePointer convert(PointerPointer<?> planes, IntPointer linesizes) {
    sws_scale(context, planes, linesizes, 0, srcHeight, dstData, dstLinesize);
    return dstBuffer;
  }

  /** The last result copied into {@code out}. */
  void copyResult(byte[] out) {
    dstBuffer.position(0).get(out, 0, dstSize);
  }

  @Override
  public void close() {
    sws_freeContext(context);
    srcData.close();
    srcLinesize.close();
    dstData.close();
    dstLinesize.close();
    srcBuffer.close();
    dstBuffer.close();
  }

  @Override
  public String toString() {
    return "PixelConverter[" + srcWidth + "x" + srcHeight + " fmt " + srcFormat + "]";
  }
}
