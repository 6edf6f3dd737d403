package dev.reelfarm.worker.diffusion;

/**
 * Reads a model output at one noise level ᾱ: the predicted clean sample x0 and noise ε, given the
 * variance-preserving sample x_t = √ᾱ·x0 + √(1−ᾱ)·ε of the point the model was shown (a
 * flow-matching model sees it as (1−σ)·x0 + σ·ε, the same point scaled). Per element, in double, so
 * samplers can combine terms before rounding once to float.
 */
public record Prediction(PredictionType type, double signalScale, double noiseScale) {

  /**
   * How to read outputs of {@code type} for a sample at signal level ᾱ, 0 &lt; ᾱ &lt; 1 (0 ≤ ᾱ for
   * flow prediction, which stays finite at pure noise).
   */
  public static Prediction of(PredictionType type, double alphaBar) {
    return new Prediction(type, Math.sqrt(alphaBar), Math.sqrt(1.0 - alphaBar));
  }

  public double originalSample(double modelOutput, double sample) {
    return switch (type) {
      case EPSILON -> (sample - noiseScale * modelOutput) / signalScale;
      case V_PREDICTION -> signalScale * sample - noiseScale * modelOutput;
      case SAMPLE -> modelOutput;
      // The model saw the flow sample (1−σ)·x0 + σ·ε = sample / (√ᾱ + √(1−ᾱ)); x0 = x_flow − σ·v.
      case FLOW_PREDICTION -> (sample - noiseScale * modelOutput) / (signalScale + noiseScale);
    };
  }

  public double noise(double modelOutput, double sample) {
    return switch (type) {
      case EPSILON -> modelOutput;
      case V_PREDICTION -> signalScale * modelOutput + noiseScale * sample;
      case SAMPLE -> (sample - signalScale * modelOutput) / noiseScale;
      case FLOW_PREDICTION -> (sample + signalScale * modelOutput) / (signalScale + noiseScale);
    };
  }
}
