package dev.reelfarm.worker.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.worker.diffusion.LatentNormalization;
import dev.reelfarm.worker.diffusion.LatentShape;
import java.util.Map;

/**
 * Encodes runs of consecutive RGB frames to latents in the denoiser's space (normalised per the
 * bundle), so a chunk can be conditioned on pixel frames another chunk rendered: with a causal
 * video VAE, 1 + s·m frames become the first 1 + m latent frames of a window.
 */
public final class VaeEncoder implements AutoCloseable {
  private final BundleManifest m;
  private final OrtSession session;
  private final LatentNormalization normalization;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();

  VaeEncoder(BundleManifest m, OrtSession session) {
    this.m = m;
    this.session = session;
    this.normalization = VaeDecoder.normalization(m);
  }

  /**
   * @param rgb24 {@code frames} frames of height × width × 3 bytes, frame-major, at native size
   * @return the latents of shape (bundle layout, 1 + (frames − 1)/s latent frames)
   */
  public float[] encode(byte[] rgb24, int frames) throws OrtException {
    int height = m.nativeHeight();
    int width = m.nativeWidth();
    int plane = height * width;
    if (rgb24.length != frames * plane * 3 || (frames - 1) % m.vaeTemporalScale() != 0) {
      throw new IllegalArgumentException(
          "the VAE encoder takes 1 + "
              + m.vaeTemporalScale()
              + "·m frames of "
              + width
              + "x"
              + height
              + ", got "
              + rgb24.length
              + " bytes for "
              + frames
              + " frames");
    }
    float[] planar = new float[rgb24.length]; // [1, 3, F, H, W] in [-1, 1]
    for (int f = 0; f < frames; f++) {
      for (int i = 0; i < plane; i++) {
        for (int ch = 0; ch < 3; ch++) {
          int value = rgb24[(f * plane + i) * 3 + ch] & 0xff;
          planar[(ch * frames + f) * plane + i] = value / 127.5f - 1f;
        }
      }
    }
    LatentShape full = ModelBundle.latentShape(m);
    LatentShape shape =
        new LatentShape(
            full.layout(),
            full.channels(),
            (frames - 1) / m.vaeTemporalScale() + 1,
            full.height(),
            full.width());
    String input = m.vaeEncoder().input();
    try (OnnxTensor tensor =
            Tensors.floats(env, session, input, planar, new long[] {1, 3, frames, height, width});
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      float[] latents =
          Tensors.read((OnnxTensor) result.get(m.vaeEncoder().output()).orElseThrow());
      return normalization.fromVae(shape, latents);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
