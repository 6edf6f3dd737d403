package dev.reelfarm.worker.diffusion;

/** Samplers under test, stand-in models and a plain denoise loop shared by the sampler tests. */
final class SamplerFixtures {

  /** Stable Diffusion's schedule: scaled_linear 0.00085..0.012 over 1000 steps, steps_offset 1. */
  static final SchedulerConfig LATENT_DIFFUSION =
      SchedulerConfig.defaults()
          .withBetas(BetaSchedule.SCALED_LINEAR, 0.00085, 0.012)
          .withStepsOffset(1);

  /** A flow-matching model's schedule with SD3's and Wan's shift of 3. */
  static final SchedulerConfig FLOW_MATCHING = SchedulerConfig.flowMatching(1000, 3.0);

  /**
   * A schedule {@code algorithm} samples: latent diffusion's, or flow matching's for flow Euler.
   */
  static SchedulerConfig configFor(SamplerAlgorithm algorithm) {
    return algorithm.accepts(LATENT_DIFFUSION) ? LATENT_DIFFUSION : FLOW_MATCHING;
  }

  /** What the loop asks of a denoiser: an output for the scaled input of one plan step. */
  interface Model {
    float[] predict(SamplingPlan plan, int stepIndex, float[] modelInput);
  }

  private SamplerFixtures() {}

  /** The denoise loop of the package documentation, without guidance or conditioning. */
  static float[] denoise(Sampler sampler, SamplingPlan plan, float[] initialSample, Model model) {
    float[] sample = initialSample;
    SamplerState state = SamplerState.initial();
    for (int i = 0; i < plan.steps(); i++) {
      float[] output = model.predict(plan, i, plan.scaleModelInput(i, sample));
      StepResult result = sampler.step(plan, i, sample, output, state);
      sample = result.sample();
      state = result.state();
    }
    return sample;
  }

  /**
   * A perfect denoiser for data that is always {@code clean}: from its input at the plan's level
   * (in the model's space) it infers the noise and answers in the given prediction type.
   */
  static Model oracle(float[] clean, PredictionType type) {
    return (plan, stepIndex, input) -> {
      NoiseLevel level = plan.modelInputLevel(stepIndex);
      double signal = level.signalScale();
      double noiseScale = level.noiseScale();
      float[] output = new float[input.length];
      for (int i = 0; i < input.length; i++) {
        double noise = (input[i] - signal * clean[i]) / noiseScale;
        output[i] =
            (float)
                switch (type) {
                  case EPSILON -> noise;
                  case V_PREDICTION -> signal * noise - noiseScale * clean[i];
                  case SAMPLE -> clean[i];
                  case FLOW_PREDICTION -> noise - clean[i];
                };
      }
      return output;
    };
  }

  /**
   * A smooth, timestep-dependent stand-in that is not a denoiser, so multistep history matters:
   * out_j = 0.6·sin(x_j + 0.002·t) + 0.1·j. The golden reference uses the same function.
   */
  static Model toyModel() {
    return (plan, stepIndex, input) -> {
      double t = plan.timestep(stepIndex);
      float[] output = new float[input.length];
      for (int j = 0; j < input.length; j++) {
        output[j] = (float) (0.6 * Math.sin(input[j] + 0.002 * t) + 0.1 * j);
      }
      return output;
    };
  }
}
