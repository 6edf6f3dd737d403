package dev.reelfarm.worker.diffusion;

/**
 * A cheap preview of latents without the VAE: each latent pixel's RGB is a fixed linear mix of its
 * channels ({@code rgb = bias + Σ_c latent_c · factors[c]}, in [-1, 1]), fitted once per model. The
 * same idea as the latent previews of ComfyUI and diffusers' callbacks.
 */
public record LatentRgbProjection(double[][] factors, double[] bias) {

  public LatentRgbProjection {
    for (double[] row : factors) {
      if (row.length != 3) throw new IllegalArgumentException("each channel needs 3 RGB factors");
    }
    if (bias.length != 3) throw new IllegalArgumentException("bias needs 3 values");
  }

  /** RGB24 of latent frame {@code frame}, {@code height × width × 3} bytes at latent resolution. */
  public byte[] frame(LatentShape shape, float[] latents, int frame) {
    if (factors.length != shape.channels()) {
      throw new IllegalArgumentException(
          factors.length + " factor rows for " + shape.channels() + " channels");
    }
    float[] chw = shape.frame(latents, frame);
    int plane = shape.height() * shape.width();
    byte[] rgb = new byte[plane * 3];
    for (int i = 0; i < plane; i++) {
      for (int k = 0; k < 3; k++) {
        double v = bias[k];
        for (int c = 0; c < shape.channels(); c++) v += chw[c * plane + i] * factors[c][k];
        rgb[i * 3 + k] = (byte) Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
      }
    }
    return rgb;
  }
}
