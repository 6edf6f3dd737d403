package dev.reelfarm.worker.diffusion;

/**
 * Deterministic DDIM (Song et al. 2021, η = 0), exactly diffusers' DDIMScheduler.step: x_prev =
 * √ᾱ_prev·x0 + √(1−ᾱ_prev)·ε, with x0 and ε read from the model output, optionally clipping x0 (but
 * not ε, as diffusers does), and ᾱ_prev taken at t − T/steps.
 */
public final class DdimSampler implements Sampler {

  private final SchedulerConfig config;
  private final NoiseSchedule schedule;
  private final double finalAlphaBar;

  public DdimSampler(SchedulerConfig config) {
    this.config = config;
    this.schedule = NoiseSchedule.of(config);
    this.finalAlphaBar = config.setAlphaToOne() ? 1.0 : schedule.alphaBar(0);
  }

  @Override
  public SamplingPlan plan(int steps) {
    int[] timesteps = Timesteps.spaced(config, steps);
    // diffusers steps to t − T//steps whatever the spacing, not to the next timestep in the list.
    int stride = config.numTrainTimesteps() / steps;
    double[] levels = new double[steps];
    double[] levelsAfter = new double[steps];
    double[] modelTimesteps = new double[steps];
    for (int i = 0; i < steps; i++) {
      int previous = timesteps[i] - stride;
      modelTimesteps[i] = timesteps[i];
      levels[i] = schedule.alphaBar(timesteps[i]);
      levelsAfter[i] = previous >= 0 ? schedule.alphaBar(previous) : finalAlphaBar;
    }
    return new SamplingPlan(
        this,
        modelTimesteps,
        levels,
        levelsAfter,
        SampleSpace.VARIANCE_PRESERVING,
        SampleSpace.VARIANCE_PRESERVING,
        1.0);
  }

  @Override
  public StepResult step(
      SamplingPlan plan, int stepIndex, float[] sample, float[] modelOutput, SamplerState state) {
    plan.checkStep(this, stepIndex, sample, modelOutput, state);
    Prediction prediction = Prediction.of(config.predictionType(), plan.alphaBar(stepIndex));
    double alphaBarAfter = plan.alphaBarAfter(stepIndex);
    double signalAfter = Math.sqrt(alphaBarAfter);
    double noiseAfter = Math.sqrt(1.0 - alphaBarAfter);
    double clipRange = config.clipSampleRange();
    float[] next = new float[sample.length];
    float[] denoised = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      double original = prediction.originalSample(modelOutput[i], sample[i]);
      double noise = prediction.noise(modelOutput[i], sample[i]);
      if (config.clipSample()) {
        original = Math.max(-clipRange, Math.min(clipRange, original));
      }
      denoised[i] = (float) original;
      next[i] = (float) (signalAfter * original + noiseAfter * noise);
    }
    return new StepResult(next, denoised, state.next());
  }
}
