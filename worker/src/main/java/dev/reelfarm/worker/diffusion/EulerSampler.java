package dev.reelfarm.worker.diffusion;

/**
 * Euler's method on the probability-flow ODE in σ (Karras et al. 2022, algorithm 2 without churn),
 * exactly diffusers' EulerDiscreteScheduler with its defaults (linear sigma interpolation, final σ
 * = 0). The sample lives in the variance-exploding space x = x0 + σ·ε, so the model input is scaled
 * by 1/√(σ²+1) ({@link SamplingPlan#scaleModelInput}).
 */
public final class EulerSampler implements Sampler {

  private final SchedulerConfig config;
  private final NoiseSchedule schedule;

  public EulerSampler(SchedulerConfig config) {
    this.config = config;
    this.schedule = NoiseSchedule.of(config);
  }

  @Override
  public SamplingPlan plan(int steps) {
    double[] timesteps = timesteps(steps);
    double[] levels = new double[steps];
    for (int i = 0; i < steps; i++) {
      levels[i] = SampleSpace.alphaBarOfSigma(schedule.interpolatedSigma(timesteps[i]));
    }
    double[] levelsAfter = new double[steps];
    System.arraycopy(levels, 1, levelsAfter, 0, steps - 1);
    levelsAfter[steps - 1] = 1.0;
    double maxSigma = SampleSpace.sigma(levels[0]);
    // diffusers' init_noise_sigma: σ_max for linspace/trailing but √(σ_max²+1) for leading.
    double initialNoiseSigma =
        config.timestepSpacing() == TimestepSpacing.LEADING
            ? Math.sqrt(maxSigma * maxSigma + 1.0)
            : maxSigma;
    return new SamplingPlan(
        this,
        timesteps,
        levels,
        levelsAfter,
        SampleSpace.VARIANCE_EXPLODING,
        SampleSpace.VARIANCE_PRESERVING,
        initialNoiseSigma);
  }

  /** As DDIM, except that linspace timesteps stay fractional (diffusers does not round them). */
  private double[] timesteps(int steps) {
    if (config.timestepSpacing() == TimestepSpacing.LINSPACE) {
      return Timesteps.descendingLinspace(config.numTrainTimesteps(), steps);
    }
    int[] spaced = Timesteps.spaced(config, steps);
    double[] timesteps = new double[steps];
    for (int i = 0; i < steps; i++) {
      timesteps[i] = spaced[i];
    }
    return timesteps;
  }

  @Override
  public StepResult step(
      SamplingPlan plan, int stepIndex, float[] sample, float[] modelOutput, SamplerState state) {
    plan.checkStep(this, stepIndex, sample, modelOutput, state);
    double alphaBar = plan.alphaBar(stepIndex);
    Prediction prediction = Prediction.of(config.predictionType(), alphaBar);
    double sigma = SampleSpace.sigma(alphaBar);
    double sigmaAfter = SampleSpace.sigma(plan.alphaBarAfter(stepIndex));
    double modelInputScale = Math.sqrt(alphaBar);
    float[] next = new float[sample.length];
    float[] denoised = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      // The model saw the scaled sample, so its output is read against that one.
      double original = prediction.originalSample(modelOutput[i], sample[i] * modelInputScale);
      double derivative = (sample[i] - original) / sigma;
      denoised[i] = (float) original;
      next[i] = (float) (sample[i] + derivative * (sigmaAfter - sigma));
    }
    return new StepResult(next, denoised, state.next());
  }
}
