package dev.reelfarm.worker.diffusion;

/**
 * Maps latents between the denoiser's space and the VAE's, per channel: {@code vae = z·std/scale +
 * mean} before decoding and {@code z = (vae − mean)·scale/std} after encoding, as diffusers' Wan
 * and LTX pipelines do with the VAE's latents_mean/latents_std and scaling factor. With mean 0 and
 * std 1 it is the single scaling factor of Stable Diffusion.
 */
public final class LatentNormalization {

  private final double[] mean;
  private final double[] std;
  private final double scalingFactor;

  public LatentNormalization(double[] mean, double[] std, double scalingFactor) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("one mean and one std per channel");
    }
    for (double s : std) {
      if (!(s > 0)) throw new IllegalArgumentException("latent std must be > 0: " + s);
    }
    if (!(scalingFactor > 0)) {
      throw new IllegalArgumentException("scaling factor must be > 0: " + scalingFactor);
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.scalingFactor = scalingFactor;
  }

  /** What the VAE decoder takes for denoised latents {@code z} of {@code shape}. */
  public float[] toVae(LatentShape shape, float[] z) {
    return map(shape, z, true);
  }

  /** What the denoiser works on for the VAE encoder's latents of {@code shape}. */
  public float[] fromVae(LatentShape shape, float[] vae) {
    return map(shape, vae, false);
  }

  private float[] map(LatentShape shape, float[] values, boolean toVae) {
    requireChannels(shape);
    float[] out = new float[values.length];
    for (int f = 0; f < shape.frames(); f++) {
      float[] frame = shape.frame(values, f);
      int plane = shape.height() * shape.width();
      for (int c = 0; c < shape.channels(); c++) {
        for (int i = c * plane; i < (c + 1) * plane; i++) {
          frame[i] =
              (float)
                  (toVae
                      ? frame[i] * std[c] / scalingFactor + mean[c]
                      : (frame[i] - mean[c]) * scalingFactor / std[c]);
        }
      }
      shape.putFrame(out, f, frame);
    }
    return out;
  }

  private void requireChannels(LatentShape shape) {
    if (shape.channels() != mean.length) {
      throw new IllegalArgumentException(
          "normalisation of " + mean.length + " channels for latents of " + shape.channels());
    }
  }
}
