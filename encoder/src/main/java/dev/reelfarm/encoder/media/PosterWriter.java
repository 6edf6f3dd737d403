package dev.reelfarm.encoder.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.SWS_LANCZOS;

import dev.reelfarm.schema.presets.Preset;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The poster: one native frame upscaled like the video (Lanczos) to the preset's size, as a JPEG.
 * RGB → BGR happens inside the same swscale pass, straight into the BufferedImage's own layout.
 */
public final class PosterWriter {
  static final float JPEG_QUALITY = 0.9f;

  /**
   * Writes {@code rgb} (RGB24, {@code width × height}) as a {@code preset}-sized JPEG to {@code
   * out}.
   */
  public static void write(byte[] rgb, int width, int height, Preset preset, OutputStream out)
      throws IOException {
    BufferedImage image =
        new BufferedImage(preset.width(), preset.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    try (PixelConverter scaler =
        new PixelConverter(
            width,
            height,
            AV_PIX_FMT_RGB24,
            preset.width(),
            preset.height(),
            AV_PIX_FMT_BGR24,
            SWS_LANCZOS | SWS_ACCURATE_RND,
            new PixelConverter.Colour(SWS_CS_ITU709, false))) {
      scaler.convert(rgb);
      scaler.copyResult(pixels);
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  private PosterWriter() {}
}
