package dev.reelfarm.worker.diffusion;

/**
 * The coordinates a sample is kept in, by a sampler or by the model's training. DDPM-trained models
 * see the variance-preserving sample, flow-matching models the rectified-flow one (see {@link
 * SamplingPlan#scaleModelInput}); k-diffusion samplers such as Euler integrate in the
 * variance-exploding one. All three are the same point scaled, at one noise level ᾱ.
 */
public enum SampleSpace {
  /** x = √ᾱ·x0 + √(1−ᾱ)·ε (DDIM, DPM-Solver). */
  VARIANCE_PRESERVING,
  /** x = x0 + σ·ε with σ = √((1−ᾱ)/ᾱ) (Euler). */
  VARIANCE_EXPLODING,
  /**
   * x = (1−σ)·x0 + σ·ε with σ = √(1−ᾱ)/(√ᾱ + √(1−ᾱ)), the same signal-to-noise ratio (flow
   * matching, rectified flow; σ = 1 is pure noise at ᾱ = 0).
   */
  RECTIFIED_FLOW;

  public NoiseLevel noiseLevel(double alphaBar) {
    return switch (this) {
      case VARIANCE_PRESERVING -> new NoiseLevel(Math.sqrt(alphaBar), Math.sqrt(1.0 - alphaBar));
      case VARIANCE_EXPLODING -> new NoiseLevel(1.0, sigma(alphaBar));
      case RECTIFIED_FLOW -> {
        double flowSigma = flowSigma(alphaBar);
        yield new NoiseLevel(1.0 - flowSigma, flowSigma);
      }
    };
  }

  /** The factor that turns a sample in this space into the variance-preserving one. */
  double toVariancePreserving(double alphaBar) {
    return switch (this) {
      case VARIANCE_PRESERVING -> 1.0;
      case VARIANCE_EXPLODING -> Math.sqrt(alphaBar);
      case RECTIFIED_FLOW -> Math.sqrt(alphaBar) + Math.sqrt(1.0 - alphaBar);
    };
  }

  static double sigma(double alphaBar) {
    return Math.sqrt((1.0 - alphaBar) / alphaBar);
  }

  static double alphaBarOfSigma(double sigma) {
    return 1.0 / (1.0 + sigma * sigma);
  }

  /** The rectified-flow σ at level ᾱ. */
  static double flowSigma(double alphaBar) {
    double noise = Math.sqrt(1.0 - alphaBar);
    return noise / (Math.sqrt(alphaBar) + noise);
  }

  /** The level ᾱ of rectified-flow σ: (1−σ)² / ((1−σ)² + σ²). */
  static double alphaBarOfFlowSigma(double flowSigma) {
    double signal = 1.0 - flowSigma;
    return signal * signal / (signal * signal + flowSigma * flowSigma);
  }
}
