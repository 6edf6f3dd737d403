package dev.reelfarm.worker.diffusion;

import java.util.Arrays;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022): uncond + scale·(cond − uncond), applied to raw
 * model outputs whatever their prediction type. Scale 1 is the conditional output alone, so the
 * unconditional pass can be skipped.
 */
public record ClassifierFreeGuidance(double scale) {

  public ClassifierFreeGuidance {
    if (!Double.isFinite(scale)) {
      throw new IllegalArgumentException("guidance scale must be finite: " + scale);
    }
  }

  /** False at scale 1, where the unconditional output has no effect. */
  public boolean needsUnconditionalPass() {
    return scale != 1.0;
  }

  /** A new array; the inputs are left as they are. */
  public float[] guide(float[] unconditional, float[] conditional) {
    if (unconditional.length != conditional.length) {
      throw new IllegalArgumentException(
          "outputs differ in size: " + unconditional.length + " vs " + conditional.length);
    }
    float[] guided = new float[conditional.length];
    for (int i = 0; i < guided.length; i++) {
      guided[i] = (float) (unconditional[i] + scale * (conditional[i] - unconditional[i]));
    }
    return guided;
  }

  /**
   * Guides the output of one batch-of-two model call whose first half is the unconditional
   * prediction and second half the conditional one (diffusers' order).
   */
  public float[] guideBatched(float[] unconditionalThenConditional) {
    int length = unconditionalThenConditional.length;
    if (length % 2 != 0) {
      throw new IllegalArgumentException("a batch of two has an even size, not " + length);
    }
    float[] unconditional = Arrays.copyOfRange(unconditionalThenConditional, 0, length / 2);
    float[] conditional = Arrays.copyOfRange(unconditionalThenConditional, length / 2, length);
    return guide(unconditional, conditional);
  }
}
