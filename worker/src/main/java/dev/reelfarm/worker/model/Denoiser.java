package dev.reelfarm.worker.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.reelfarm.schema.bundle.BundleManifest;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The denoiser network. It only predicts: one call evaluates a batch of latents (e.g. the
 * unconditional and the conditional branch of classifier-free guidance together).
 */
public final class Denoiser implements AutoCloseable {
  private final BundleManifest.DenoiserSpec spec;
  private final int nativeFps;
  private final boolean nativeConditioning;
  private final long[] latentShape;
  private final OrtSession session;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();

  Denoiser(BundleManifest m, OrtSession session) {
    this.spec = m.denoiser();
    this.nativeFps = m.nativeFps();
    this.nativeConditioning = m.conditioning() == BundleManifest.Conditioning.NATIVE;
    this.latentShape =
        m.latentLayout() == BundleManifest.LatentLayout.BCFHW
            ? new long[] {
              1, m.latentChannels(), m.latentFrames(), m.latentHeight(), m.latentWidth()
            }
            : new long[] {
              1, m.latentFrames(), m.latentChannels(), m.latentHeight(), m.latentWidth()
            };
    this.session = session;
  }

  /** Batch-1 latent shape in the bundle's layout. */
  public long[] latentShape() {
    return latentShape.clone();
  }

  /**
   * Predicts for {@code batch} latents at one timestep.
   *
   * @param samples batch × latent elements, in the bundle's layout
   * @param text batch × tokens × hidden; {@code textMask} batch × tokens
   * @param context batch × latent elements of known clean latents (native conditioning), or null
   * @param contextMask batch × latent frames, or null
   * @param frameStride native frames between window frames (fed only to a model with that input; a
   *     frame-rate input gets nativeFps / frameStride)
   */
  public float[] predict(
      int batch,
      float[] samples,
      double timestep,
      float[] text,
      float[] textMask,
      int tokens,
      float[] context,
      float[] contextMask,
      int frameStride)
      throws OrtException {
    long[] shape = latentShape.clone();
    shape[0] = batch;
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      put(inputs, spec.sampleInput(), samples, shape);
      inputs.put(spec.timestepInput(), timestep(batch, timestep));
      put(inputs, spec.textInput(), text, new long[] {batch, tokens, text.length / batch / tokens});
      if (spec.textMaskInput() != null) {
        put(inputs, spec.textMaskInput(), textMask, new long[] {batch, tokens});
      }
      if (nativeConditioning) {
        put(inputs, spec.contextInput(), context, shape);
        put(
            inputs,
            spec.contextMaskInput(),
            contextMask,
            new long[] {batch, contextMask.length / batch});
      }
      if (spec.frameStrideInput() != null) {
        put(inputs, spec.frameStrideInput(), perSample(batch, frameStride), new long[] {batch});
      }
      if (spec.frameRateInput() != null) {
        float frameRate = (float) nativeFps / frameStride;
        put(inputs, spec.frameRateInput(), perSample(batch, frameRate), new long[] {batch});
      }
      try (OrtSession.Result result = session.run(inputs)) {
        return Tensors.read((OnnxTensor) result.get(spec.output()).orElseThrow());
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  public boolean nativeConditioning() {
    return nativeConditioning;
  }

  private OnnxTensor timestep(int batch, double t) throws OrtException {
    if ("int64".equals(spec.timestepType())) {
      long[] values = new long[batch];
      java.util.Arrays.fill(values, Math.round(t));
      return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {batch});
    }
    return Tensors.floats(
        env, session, spec.timestepInput(), perSample(batch, (float) t), new long[] {batch});
  }

  private void put(Map<String, OnnxTensor> inputs, String name, float[] values, long[] shape)
      throws OrtException {
    inputs.put(name, Tensors.floats(env, session, name, values, shape));
  }

  private static float[] perSample(int batch, float value) {
    float[] values = new float[batch];
    java.util.Arrays.fill(values, value);
    return values;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
