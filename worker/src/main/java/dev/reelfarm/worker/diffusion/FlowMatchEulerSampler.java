package dev.reelfarm.worker.diffusion;

/**
 * Euler's method on a flow-matching model's ODE dx/dσ = v (rectified flow; Liu et al. 2023, Esser
 * et al. 2024), exactly diffusers' FlowMatchEulerDiscreteScheduler with a static {@code shift}: the
 * sample is x = (1−σ)·x0 + σ·ε, the model is shown it as it is and predicts v = ε − x0, and a step
 * is x + (σ_next − σ)·v. The schedule (models/training/flow_match.py is its reference):
 *
 * <pre>
 * shifted(s) = shift·s / (1 + (shift−1)·s);  σ_min = shifted(1/T), σ_max = shifted(1) = 1
 * σ_i        = shifted(linspace(σ_max·T, σ_min·T, steps)_i / T),  then σ = 0 after the last step
 * timestep_i = σ_i·T        (the model is given 1000 at pure noise for T = 1000)
 * </pre>
 *
 * σ_min is shifted and the spacing between it and 1 is shifted again, as diffusers' set_timesteps
 * does. Levels are kept as the ᾱ of equal signal-to-noise ratio (see {@link SampleSpace}), so
 * RePaint-style replacement and the plan's contract are the other samplers'.
 */
public final class FlowMatchEulerSampler implements Sampler {

  private final SchedulerConfig config;

  /**
   * @throws IllegalArgumentException for a config whose model is not a flow-matching one
   */
  public FlowMatchEulerSampler(SchedulerConfig config) {
    if (config.predictionType() != PredictionType.FLOW_PREDICTION) {
      throw new IllegalArgumentException(
          "flow-matching Euler samples flow_prediction models only, not "
              + config.predictionType().configValue());
    }
    this.config = config;
  }

  @Override
  public SamplingPlan plan(int steps) {
    int trainSteps = config.numTrainTimesteps();
    if (steps < 1 || steps > trainSteps) {
      throw new IllegalArgumentException(
          "steps must be in [1, " + trainSteps + "] for this schedule: " + steps);
    }
    double sigmaMax = shifted(1.0);
    double sigmaMin = shifted(1.0 / trainSteps);
    double[] timesteps = new double[steps];
    double[] levels = new double[steps];
    double[] levelsAfter = new double[steps];
    for (int i = 0; i < steps; i++) {
      double unshifted =
          steps == 1
              ? sigmaMax
              : (sigmaMax * trainSteps
                      + i * (sigmaMin * trainSteps - sigmaMax * trainSteps) / (steps - 1))
                  / trainSteps;
      double sigma = shifted(unshifted);
      timesteps[i] = sigma * trainSteps;
      levels[i] = SampleSpace.alphaBarOfFlowSigma(sigma);
    }
    System.arraycopy(levels, 1, levelsAfter, 0, steps - 1);
    levelsAfter[steps - 1] = 1.0;
    return new SamplingPlan(
        this,
        timesteps,
        levels,
        levelsAfter,
        SampleSpace.RECTIFIED_FLOW,
        SampleSpace.RECTIFIED_FLOW,
        1.0);
  }

  private double shifted(double sigma) {
    double shift = config.shift();
    return shift * sigma / (1.0 + (shift - 1.0) * sigma);
  }

  @Override
  public StepResult step(
      SamplingPlan plan, int stepIndex, float[] sample, float[] modelOutput, SamplerState state) {
    plan.checkStep(this, stepIndex, sample, modelOutput, state);
    double sigma = SampleSpace.flowSigma(plan.alphaBar(stepIndex));
    double sigmaAfter = SampleSpace.flowSigma(plan.alphaBarAfter(stepIndex));
    float[] next = new float[sample.length];
    float[] denoised = new float[sample.length];
    for (int i = 0; i < sample.length; i++) {
      denoised[i] = (float) (sample[i] - sigma * modelOutput[i]);
      next[i] = (float) (sample[i] + (sigmaAfter - sigma) * modelOutput[i]);
    }
    return new StepResult(next, denoised, state.next());
  }
}
