package dev.reelfarm.worker.diffusion;

/**
 * Model-agnostic temporal conditioning (RePaint, Lugmayr et al. 2022, without resampling): before
 * every model call the known frames of the sample are overwritten by their clean latents noised to
 * that step's level with each frame's own initial noise, so the model denoises the unknown frames
 * around correct context. Finish with {@link ContextFrames#restoreKnownFrames}.
 */
public final class ReplacementConditioning {

  private final ContextFrames context;
  private final float[] unitNoise;

  /**
   * @param unitNoise the window's unit-variance initial noise ({@link FrameNoise#window}), before
   *     {@link SamplingPlan#initialSample} scaled it
   */
  public ReplacementConditioning(ContextFrames context, float[] unitNoise) {
    if (unitNoise.length != context.shape().size()) {
      throw new IllegalArgumentException(
          "noise has " + unitNoise.length + " values, the window " + context.shape().size());
    }
    this.context = context;
    this.unitNoise = unitNoise.clone();
  }

  /**
   * A copy of {@code sample} whose known frames are x = signal·x0 + noise·ε at the level of the
   * sample entering step {@code stepIndex} (√ᾱ and √(1−ᾱ) for DDIM/DPM, 1 and σ for Euler).
   */
  public float[] replaceKnownFrames(SamplingPlan plan, int stepIndex, float[] sample) {
    LatentShape shape = context.shape();
    NoiseLevel level = plan.noiseLevel(stepIndex);
    float[] replaced = sample.clone();
    for (int f = 0; f < shape.frames(); f++) {
      if (!context.mask().isKnown(f)) {
        continue;
      }
      float[] clean = context.knownFrame(f);
      float[] noise = shape.frame(unitNoise, f);
      float[] noised = new float[clean.length];
      for (int i = 0; i < clean.length; i++) {
        noised[i] = (float) level.apply(clean[i], noise[i]);
      }
      shape.putFrame(replaced, f, noised);
    }
    return replaced;
  }
}
