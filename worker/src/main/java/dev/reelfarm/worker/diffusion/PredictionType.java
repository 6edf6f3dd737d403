package dev.reelfarm.worker.diffusion;

/**
 * What the denoiser was trained to output; diffusers' {@code prediction_type}. With the forward
 * process x_t = √ᾱ·x0 + √(1−ᾱ)·ε, every type determines both x0 and ε (see {@link Prediction}).
 */
public enum PredictionType {
  /** The noise ε. */
  EPSILON,
  /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x0 (Salimans &amp; Ho 2022). */
  V_PREDICTION,
  /** The clean sample x0. */
  SAMPLE;

  /** The diffusers config string, e.g. {@code "v_prediction"}. */
  public String configValue() {
    return ConfigValues.of(this);
  }

  public static PredictionType fromConfigValue(String value) {
    return ConfigValues.parse(PredictionType.class, value);
  }
}
