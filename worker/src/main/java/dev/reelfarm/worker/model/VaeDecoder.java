package dev.reelfarm.worker.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.worker.diffusion.LatentNormalization;
import dev.reelfarm.worker.diffusion.LatentShape;
import java.util.Map;

/** Decodes a chunk's latents to RGB24 frames at the model's native size. */
public final class VaeDecoder implements AutoCloseable {
  private final BundleManifest m;
  private final OrtSession session;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();

  private final LatentNormalization normalization;
  private final LatentShape latentShape;

  VaeDecoder(BundleManifest m, OrtSession session) {
    this.m = m;
    this.session = session;
    this.normalization = normalization(m);
    this.latentShape = ModelBundle.latentShape(m);
  }

  /** The bundle's per-channel latents mean/std and scaling factor. */
  static LatentNormalization normalization(BundleManifest m) {
    double[] mean = new double[m.latentChannels()];
    double[] std = new double[m.latentChannels()];
    for (int c = 0; c < mean.length; c++) {
      mean[c] = m.latentMean(c);
      std[c] = m.latentStd(c);
    }
    return new LatentNormalization(mean, std, m.vaeScalingFactor());
  }

  /**
   * @param denoised one chunk's latents (batch 1) in the bundle's layout, as the denoiser left them
   * @return frames × height × width × 3 bytes, frame-major
   */
  public byte[] decode(float[] denoised) throws OrtException {
    float[] latents = normalization.toVae(latentShape, denoised);
    int c = m.latentChannels();
    int f = m.latentFrames();
    int h = m.latentHeight();
    int w = m.latentWidth();
    float[] input;
    long[] shape;
    if (m.vaeDecoder().perFrame()) {
      input = framesAsBatch(latents, c, f, h * w);
      shape = new long[] {f, c, h, w};
    } else {
      input = latents;
      shape =
          m.latentLayout() == BundleManifest.LatentLayout.BCFHW
              ? new long[] {1, c, f, h, w}
              : new long[] {1, f, c, h, w};
    }
    try (OnnxTensor tensor = Tensors.floats(env, session, m.vaeDecoder().input(), input, shape);
        OrtSession.Result result = session.run(Map.of(m.vaeDecoder().input(), tensor))) {
      OnnxTensor out = (OnnxTensor) result.get(m.vaeDecoder().output()).orElseThrow();
      return toRgb24(Tensors.read(out), out.getInfo().getShape());
    }
  }

  /** [1,C,F,HW] or [1,F,C,HW] → [F,C,HW]. */
  private float[] framesAsBatch(float[] latents, int c, int f, int hw) {
    if (m.latentLayout() == BundleManifest.LatentLayout.BFCHW) return latents;
    float[] out = new float[latents.length];
    for (int ch = 0; ch < c; ch++) {
      for (int fr = 0; fr < f; fr++) {
        System.arraycopy(latents, (ch * f + fr) * hw, out, (fr * c + ch) * hw, hw);
      }
    }
    return out;
  }

  /** Planar [-1,1] RGB, [F,3,H,W] (per-frame) or [1,3,F,H,W] (video), to interleaved bytes. */
  private byte[] toRgb24(float[] rgb, long[] shape) {
    boolean perFrame = shape.length == 4;
    int frames = (int) (perFrame ? shape[0] : shape[2]);
    int height = (int) shape[shape.length - 2];
    int width = (int) shape[shape.length - 1];
    int plane = height * width;
    byte[] out = new byte[frames * plane * 3];
    for (int fr = 0; fr < frames; fr++) {
      for (int ch = 0; ch < 3; ch++) {
        int src = perFrame ? (fr * 3 + ch) * plane : (ch * frames + fr) * plane;
        for (int i = 0; i < plane; i++) {
          float v = (rgb[src + i] + 1f) * 127.5f;
          out[(fr * plane + i) * 3 + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
