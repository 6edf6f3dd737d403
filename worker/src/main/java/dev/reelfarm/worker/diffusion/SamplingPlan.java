package dev.reelfarm.worker.diffusion;

/**
 * One run's schedule, made by {@link Sampler#plan} and usable only with that sampler: for each
 * step, the timestep shown to the model, the noise level ᾱ of the sample going in and the level ᾱ
 * the step brings it to. Immutable and free of run state, so one plan can serve any number of
 * concurrent runs.
 */
public final class SamplingPlan {

  private final Sampler sampler;
  private final double[] timesteps;
  private final double[] alphaBars;
  private final double[] alphaBarsAfter;
  private final SampleSpace sampleSpace;
  private final SampleSpace modelSpace;
  private final double initialNoiseSigma;

  SamplingPlan(
      Sampler sampler,
      double[] timesteps,
      double[] alphaBars,
      double[] alphaBarsAfter,
      SampleSpace sampleSpace,
      SampleSpace modelSpace,
      double initialNoiseSigma) {
    if (timesteps.length == 0
        || alphaBars.length != timesteps.length
        || alphaBarsAfter.length != timesteps.length) {
      throw new IllegalArgumentException("a plan needs one timestep and two levels per step");
    }
    this.sampler = sampler;
    this.timesteps = timesteps.clone();
    this.alphaBars = alphaBars.clone();
    this.alphaBarsAfter = alphaBarsAfter.clone();
    this.sampleSpace = sampleSpace;
    this.modelSpace = modelSpace;
    this.initialNoiseSigma = initialNoiseSigma;
  }

  public int steps() {
    return timesteps.length;
  }

  /**
   * The timestep to give the model at this step. Integral for DDIM and DPM-Solver++; Euler with
   * linspace spacing gives fractional ones, as diffusers does.
   */
  public double timestep(int stepIndex) {
    return timesteps[stepIndex];
  }

  public double[] timesteps() {
    return timesteps.clone();
  }

  /** ᾱ of the sample entering this step. */
  public double alphaBar(int stepIndex) {
    return alphaBars[stepIndex];
  }

  /**
   * ᾱ of the sample this step produces; 1 (clean) after the last step unless DDIM's
   * set_alpha_to_one is off. Equals the next step's ᾱ except for DDIM with spacings whose stride is
   * not T/steps, where diffusers' DDIM lands on t − T/steps.
   */
  public double alphaBarAfter(int stepIndex) {
    return alphaBarsAfter[stepIndex];
  }

  public SampleSpace sampleSpace() {
    return sampleSpace;
  }

  /**
   * The space the model was trained in, so the one its input is given in: variance-preserving for
   * DDPM-trained models, rectified flow for flow-matching ones.
   */
  public SampleSpace modelSpace() {
    return modelSpace;
  }

  /** How the model's input at this step mixes x0 and noise. */
  public NoiseLevel modelInputLevel(int stepIndex) {
    return modelSpace.noiseLevel(alphaBars[stepIndex]);
  }

  /** diffusers' init_noise_sigma: the scale of the unit noise a run starts from. */
  public double initialNoiseSigma() {
    return initialNoiseSigma;
  }

  /** How the sample entering this step mixes x0 and noise, e.g. for RePaint-style replacement. */
  public NoiseLevel noiseLevel(int stepIndex) {
    return sampleSpace.noiseLevel(alphaBars[stepIndex]);
  }

  /** The first sample of a run: unit Gaussian noise times {@link #initialNoiseSigma}. */
  public float[] initialSample(float[] unitNoise) {
    return scaled(unitNoise, initialNoiseSigma);
  }

  /**
   * diffusers' scale_model_input: what the model must be shown for this step's sample, the same
   * point in the {@link #modelSpace} (√ᾱ·x0 + √(1−ᾱ)·ε for DDPM-trained models). A new array;
   * identity values for DDIM, DPM and flow-matching Euler.
   */
  public float[] scaleModelInput(int stepIndex, float[] sample) {
    double alphaBar = alphaBars[stepIndex];
    return scaled(
        sample,
        sampleSpace.toVariancePreserving(alphaBar) / modelSpace.toVariancePreserving(alphaBar));
  }

  /** Rejects a step call that does not fit this plan; samplers call it first. */
  void checkStep(
      Sampler caller, int stepIndex, float[] sample, float[] modelOutput, SamplerState state) {
    if (caller != sampler) {
      throw new IllegalArgumentException(
          "plan was made by another sampler, a " + sampler.getClass().getSimpleName());
    }
    if (stepIndex < 0 || stepIndex >= steps()) {
      throw new IllegalArgumentException("step " + stepIndex + " outside a plan of " + steps());
    }
    if (modelOutput.length != sample.length) {
      throw new IllegalArgumentException(
          "model output has " + modelOutput.length + " values, sample " + sample.length);
    }
    state.requireStep(stepIndex);
  }

  private static float[] scaled(float[] values, double factor) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) (values[i] * factor);
    }
    return result;
  }
}
