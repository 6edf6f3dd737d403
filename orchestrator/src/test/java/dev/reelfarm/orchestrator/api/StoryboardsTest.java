package dev.reelfarm.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class StoryboardsTest {

  @Test
  void aKeyframeIsEncodedAsALosslessPngOfItsRgbFrame() throws Exception {
    int width = 5;
    int height = 3;
    byte[] rgb = new byte[width * height * 3];
    for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) (i * 17);

    BufferedImage png =
        ImageIO.read(new ByteArrayInputStream(Storyboards.encodePng(rgb, width, height)));

    assertThat(png.getWidth()).isEqualTo(width);
    assertThat(png.getHeight()).isEqualTo(height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = (y * width + x) * 3;
        int expected = (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | (rgb[i + 2] & 0xff);
        assertThat(png.getRGB(x, y) & 0xffffff).as("pixel %d,%d", x, y).isEqualTo(expected);
      }
    }
  }
}
