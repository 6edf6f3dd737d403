package dev.reelfarm.worker.diffusion;

/**
 * The coordinates a sampler keeps its sample in. Models always see the variance-preserving sample
 * (see {@link SamplingPlan#scaleModelInput}); k-diffusion samplers such as Euler integrate in the
 * variance-exploding one, which is the same point divided by √ᾱ.
 */
public enum SampleSpace {
  /** x = √ᾱ·x0 + √(1−ᾱ)·ε (DDIM, DPM-Solver). */
  VARIANCE_PRESERVING,
  /** x = x0 + σ·ε with σ = √((1−ᾱ)/ᾱ) (Euler). */
  VARIANCE_EXPLODING;

  public NoiseLevel noiseLevel(double alphaBar) {
    return switch (this) {
      case VARIANCE_PRESERVING -> new NoiseLevel(Math.sqrt(alphaBar), Math.sqrt(1.0 - alphaBar));
      case VARIANCE_EXPLODING -> new NoiseLevel(1.0, sigma(alphaBar));
    };
  }

  /** The factor that turns a sample in this space into the variance-preserving one. */
  double modelInputScale(double alphaBar) {
    return switch (this) {
      case VARIANCE_PRESERVING -> 1.0;
      case VARIANCE_EXPLODING -> Math.sqrt(alphaBar);
    };
  }

  static double sigma(double alphaBar) {
    return Math.sqrt((1.0 - alphaBar) / alphaBar);
  }

  static double alphaBarOfSigma(double sigma) {
    return 1.0 / (1.0 + sigma * sigma);
  }
}
