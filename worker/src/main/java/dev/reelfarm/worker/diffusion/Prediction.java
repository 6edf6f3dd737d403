package dev.reelfarm.worker.diffusion;

/**
 * Reads a model output at one noise level ᾱ: the predicted clean sample x0 and noise ε, given the
 * variance-preserving sample x_t = √ᾱ·x0 + √(1−ᾱ)·ε that the model was shown. Per element, in
 * double, so samplers can combine terms before rounding once to float.
 */
public record Prediction(PredictionType type, double signalScale, double noiseScale) {

  /** How to read outputs of {@code type} for a sample at signal level ᾱ, 0 &lt; ᾱ &lt; 1. */
  public static Prediction of(PredictionType type, double alphaBar) {
    return new Prediction(type, Math.sqrt(alphaBar), Math.sqrt(1.0 - alphaBar));
  }

  public double originalSample(double modelOutput, double sample) {
    return switch (type) {
      case EPSILON -> (sample - noiseScale * modelOutput) / signalScale;
      case V_PREDICTION -> signalScale * sample - noiseScale * modelOutput;
      case SAMPLE -> modelOutput;
    };
  }

  public double noise(double modelOutput, double sample) {
    return switch (type) {
      case EPSILON -> modelOutput;
      case V_PREDICTION -> signalScale * modelOutput + noiseScale * sample;
      case SAMPLE -> (sample - signalScale * modelOutput) / noiseScale;
    };
  }
}
