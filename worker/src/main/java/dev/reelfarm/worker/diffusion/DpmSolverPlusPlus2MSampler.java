package dev.reelfarm.worker.diffusion;

/**
 * DPM-Solver++(2M) (Lu et al. 2022), exactly diffusers' DPMSolverMultistepScheduler with
 * algorithm_type "dpmsolver++", solver_order 2, solver_type "midpoint", lower_order_final and
 * final_sigmas_type "zero": a first-order (DDIM-equivalent) update on the first and last steps, a
 * second-order multistep update in between that reuses the previous step's x0 prediction, which
 * travels in the {@link SamplerState}.
 */
public final class DpmSolverPlusPlus2MSampler implements Sampler {

  private final SchedulerConfig config;
  private final NoiseSchedule schedule;

  public DpmSolverPlusPlus2MSampler(SchedulerConfig config) {
    this.config = config;
    this.schedule = NoiseSchedule.of(config);
  }

  @Override
  public SamplingPlan plan(int steps) {
    int[] timesteps = timesteps(steps);
    double[] modelTimesteps = new double[steps];
    double[] levels = new double[steps];
    double[] levelsAfter = new double[steps];
    for (int i = 0; i < steps; i++) {
      modelTimesteps[i] = timesteps[i];
      levels[i] = schedule.alphaBar(timesteps[i]);
      levelsAfter[i] = i + 1 < steps ? schedule.alphaBar(timesteps[i + 1]) : 1.0;
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

  /**
   * diffusers' DPM-Solver spaces leading and linspace timesteps over steps + 1 points and drops the
   * last, so that no step starts at the least noisy end; trailing is DDIM's.
   */
  private int[] timesteps(int steps) {
    if (config.timestepSpacing() == TimestepSpacing.TRAILING) {
      return Timesteps.spaced(config, steps);
    }
    if (steps < 1 || steps >= config.numTrainTimesteps()) {
      throw new IllegalArgumentException(
          "steps must be in [1, " + (config.numTrainTimesteps() - 1) + "]: " + steps);
    }
    int[] spaced = Timesteps.spaced(config, steps + 1);
    int[] timesteps = new int[steps];
    System.arraycopy(spaced, 0, timesteps, 0, steps);
    return timesteps;
  }

  @Override
  public StepResult step(
      SamplingPlan plan, int stepIndex, float[] sample, float[] modelOutput, SamplerState state) {
    plan.checkStep(this, stepIndex, sample, modelOutput, state);
    LogSnr current = LogSnr.of(plan.alphaBar(stepIndex));
    LogSnr target = LogSnr.of(plan.alphaBarAfter(stepIndex));
    Prediction prediction = Prediction.of(config.predictionType(), plan.alphaBar(stepIndex));

    double h = target.lambda - current.lambda;
    double sampleWeight = target.sigma / current.sigma;
    double denoisedWeight = -target.alpha * (Math.exp(-h) - 1.0);
    float[] previous = state.previousDenoised();
    boolean lastStep = stepIndex == plan.steps() - 1;
    // Second order needs the previous x0; diffusers drops to first order on the final step,
    // where σ = 0 makes λ infinite and the multistep correction 0·∞.
    boolean secondOrder = previous != null && !lastStep;
    double correctionWeight = 0.0;
    if (secondOrder) {
      LogSnr before = LogSnr.of(plan.alphaBar(stepIndex - 1));
      double r0 = (current.lambda - before.lambda) / h;
      correctionWeight = 0.5 * denoisedWeight / r0;
    }

    float[] next = new float[sample.length];
    float[] denoised = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      double d0 = prediction.originalSample(modelOutput[i], sample[i]);
      double x = sampleWeight * sample[i] + denoisedWeight * d0;
      if (secondOrder) {
        x += correctionWeight * (d0 - previous[i]);
      }
      denoised[i] = (float) d0;
      next[i] = (float) x;
    }
    return new StepResult(next, denoised, state.next(denoised));
  }

  /** α_t = √ᾱ, σ_t = √(1−ᾱ) and the half log-SNR λ = log α − log σ (+∞ when clean). */
  private record LogSnr(double alpha, double sigma, double lambda) {
    static LogSnr of(double alphaBar) {
      double alpha = Math.sqrt(alphaBar);
      double sigma = Math.sqrt(1.0 - alphaBar);
      return new LogSnr(alpha, sigma, Math.log(alpha) - Math.log(sigma));
    }
  }
}
