package dev.reelfarm.worker.diffusion;

/**
 * What the denoiser was trained to output; diffusers' {@code prediction_type}. With the forward
 * process x_t = √ᾱ·x0 + √(1−ᾱ)·ε, every type determines both x0 and ε (see {@link Prediction}). A
 * flow-matching model's level σ maps to the ᾱ of equal signal-to-noise ratio, (1−σ)/σ = √ᾱ/√(1−ᾱ),
 * so every type is read on the one ᾱ scale.
 */
public enum PredictionType {
  /** The noise ε. */
  EPSILON,
  /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x0 (Salimans &amp; Ho 2022). */
  V_PREDICTION,
  /** The clean sample x0. */
  SAMPLE,
  /**
   * The rectified-flow velocity v = ε − x0 of a flow-matching model, trained on x = (1−σ)·x0 + σ·ε
   * with σ = t/T rather than on the variance-preserving sample; diffusers' {@code
   * "flow_prediction"}. Its schedule is the shifted σ of {@link FlowMatchEulerSampler}.
   */
  FLOW_PREDICTION;

  /** The diffusers config string, e.g. {@code "v_prediction"}. */
  public String configValue() {
    return ConfigValues.of(this);
  }

  public static PredictionType fromConfigValue(String value) {
    return ConfigValues.parse(PredictionType.class, value);
  }
}
