package dev.reelfarm.mediaqa;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_image_fill_arrays;
import static org.bytedeco.ffmpeg.global.avutil.av_image_get_buffer_size;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_FULL_CHR_H_INT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.io.IOException;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decoded frames to packed RGB24 with the stream's own YUV matrix and range (BT.709 for the farm's
 * HD output): JavaCV's converters assume BT.601 and would shift the colours. The encoder has its
 * own converter for the other direction; this library must not depend on the encoder service, so
 * the decode side is here. Not thread-safe; one owner closes it.
 */
final class RgbConverter implements AutoCloseable {
  private final SwsContext context;
  private final int height;
  private final BytePointer rgbBuffer;
  private final PointerPointer<BytePointer> rgbData = new PointerPointer<>(4);
  private final IntPointer rgbLinesize = new IntPointer(4);
  private final int rgbSize;

  /** A converter for frames shaped like {@code first} (size, pixel format, colour space). */
  RgbConverter(AVFrame first) throws IOException {
    int width = first.width();
    this.height = first.height();
    SwsContext ctx =
        sws_getContext(
            width,
            height,
            first.format(),
            width,
            height,
            AV_PIX_FMT_RGB24,
            SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
            null,
            null,
            (DoublePointer) null);
    if (ctx == null || ctx.isNull()) {
      throw new IOException(
          "swscale cannot convert "
              + width
              + "x"
              + height
              + " (format "
              + first.format()
              + ") to RGB24");
    }
    this.context = ctx;
    int swsMatrix = first.colorspace() == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT;
    IntPointer matrix = sws_getCoefficients(swsMatrix);
    int yuvRange = first.color_range() == AVCOL_RANGE_JPEG ? 1 : 0;
    sws_setColorspaceDetails(context, matrix, yuvRange, matrix, yuvRange, 0, 1 << 16, 1 << 16);
    this.rgbSize = av_image_get_buffer_size(AV_PIX_FMT_RGB24, width, height, 1);
    this.rgbBuffer = new BytePointer(rgbSize);
    av_image_fill_arrays(rgbData, rgbLinesize, rgbBuffer, AV_PIX_FMT_RGB24, width, height, 1);
  }

  /** Bytes of one RGB24 frame: width · height · 3. */
  int rgbSize() {
    return rgbSize;
  }

  /** Converts {@code frame} into {@code out} (at least {@link #rgbSize()} bytes). */
  void convert(AVFrame frame, byte[] out) {
    sws_scale(context, frame.data(), frame.linesize(), 0, height, rgbData, rgbLinesize);
    rgbBuffer.position(0).get(out, 0, rgbSize);
  }

  @Override
  public void close() {
    sws_freeContext(context);
    rgbData.close();
    rgbLinesize.close();
    rgbBuffer.close();
  }
}
