package dev.reelfarm.worker.diffusion;

/** How the per-timestep noise variances β_t are laid out; diffusers' {@code beta_schedule}. */
public enum BetaSchedule {
  /** β_t evenly spaced from beta_start to beta_end. */
  LINEAR,
  /** √β_t evenly spaced from √beta_start to √beta_end (latent diffusion). */
  SCALED_LINEAR,
  /** Cosine ᾱ(t) of Nichol &amp; Dhariwal, β capped at 0.999; beta_start/beta_end are ignored. */
  SQUAREDCOS_CAP_V2;

  /** The diffusers config string, e.g. {@code "scaled_linear"}. */
  public String configValue() {
    return ConfigValues.of(this);
  }

  public static BetaSchedule fromConfigValue(String value) {
    return ConfigValues.parse(BetaSchedule.class, value);
  }
}
