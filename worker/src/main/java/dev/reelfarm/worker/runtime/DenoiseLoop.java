package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.worker.diffusion.ClassifierFreeGuidance;
import dev.reelfarm.worker.diffusion.ContextFrames;
import dev.reelfarm.worker.diffusion.ReplacementConditioning;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.diffusion.SamplerState;
import dev.reelfarm.worker.diffusion.SamplingPlan;
import dev.reelfarm.worker.diffusion.StepResult;
import dev.reelfarm.worker.model.Denoiser;
import dev.reelfarm.worker.model.TextEncoder;
import java.util.stream.IntStream;

/**
 * The denoising loop: the loop owns the order of things, the sampler owns the math and the denoiser
 * only predicts. Known context frames condition the window natively (as denoiser inputs) or by
 * replacement (RePaint-style), as the bundle declares, and are restored exactly at the end so
 * frames shared with the previous chunk are bit-identical to it.
 */
public final class DenoiseLoop {

  /**
   * Told after every step, with the step's x0 estimate; may throw to abort (e.g. the job was
   * cancelled).
   */
  @FunctionalInterface
  public interface StepListener {
    void onStep(int step, int steps, float[] denoised) throws Exception;
  }

  private final Denoiser denoiser;
  private final Sampler sampler;
  private final BundleManifest.Conditioning conditioning;

  public DenoiseLoop(Denoiser denoiser, Sampler sampler, BundleManifest.Conditioning conditioning) {
    this.denoiser = denoiser;
    this.sampler = sampler;
    this.conditioning = conditioning;
  }

  /**
   * @param unitNoise the window's initial noise, one deterministic slice per global frame
   * @param text the negative (unconditional) prompt's states, then the prompt's: batch 2
   * @param frameStride native frames between the window's frames (see {@code
   *     ChunkTask#frameStride})
   */
  public float[] run(
      float[] unitNoise,
      ContextFrames context,
      TextEncoder.Embedding text,
      int frameStride,
      int steps,
      double guidanceScale,
      StepListener listener)
      throws Exception {
    ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(guidanceScale);
    boolean guided = guidance.needsUnconditionalPass();
    boolean hasContext =
        IntStream.range(0, context.mask().frames()).anyMatch(context.mask()::isKnown);
    ReplacementConditioning replacement =
        hasContext && conditioning == BundleManifest.Conditioning.REPLACEMENT
            ? new ReplacementConditioning(context, unitNoise)
            : null;
    int batch = guided ? 2 : 1;
    float[] textStates = guided ? text.hidden() : second(text.hidden());
    float[] textMask = guided ? text.mask() : second(text.mask());
    float[] contextInput = null;
    float[] contextMask = null;
    if (denoiser.nativeConditioning()) {
      contextInput = repeat(context.modelInput(), batch);
      contextMask = repeat(context.mask().modelInput(), batch);
    }

    SamplingPlan plan = sampler.plan(steps);
    float[] sample = plan.initialSample(unitNoise);
    SamplerState state = SamplerState.initial();
    for (int i = 0; i < plan.steps(); i++) {
      if (replacement != null) sample = replacement.replaceKnownFrames(plan, i, sample);
      float[] input = plan.scaleModelInput(i, sample);
      float[] output =
          denoiser.predict(
              batch,
              repeat(input, batch),
              plan.timestep(i),
              textStates,
              textMask,
              text.tokens(),
              contextInput,
              contextMask,
              frameStride);
      float[] prediction = guided ? guidance.guideBatched(output) : output;
      StepResult result = sampler.step(plan, i, sample, prediction, state);
      sample = result.sample();
      state = result.state();
      listener.onStep(i + 1, plan.steps(), result.denoised());
    }
    return hasContext ? context.restoreKnownFrames(sample) : sample;
  }

  private static float[] second(float[] batchOfTwo) {
    float[] out = new float[batchOfTwo.length / 2];
    System.arraycopy(batchOfTwo, out.length, out, 0, out.length);
    return out;
  }

  private static float[] repeat(float[] values, int times) {
    if (times == 1) return values;
    float[] out = new float[values.length * times];
    for (int i = 0; i < times; i++)
      System.arraycopy(values, 0, out, i * values.length, values.length);
    return out;
  }
}
