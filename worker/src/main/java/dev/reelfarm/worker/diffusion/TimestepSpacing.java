package dev.reelfarm.worker.diffusion;

/**
 * How inference timesteps are picked from the training range; diffusers' {@code timestep_spacing}
 * (Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are Flawed", table 2).
 */
public enum TimestepSpacing {
  /** Multiples of T/steps counted up from 0, plus steps_offset; never reaches T−1. */
  LEADING,
  /** Counted down from T−1 in strides of T/steps; starts at the noisiest timestep. */
  TRAILING,
  /** Evenly spaced from T−1 down to 0, both ends included. */
  LINSPACE;

  /** The diffusers config string, e.g. {@code "trailing"}. */
  public String configValue() {
    return ConfigValues.of(this);
  }

  public static TimestepSpacing fromConfigValue(String value) {
    return ConfigValues.parse(TimestepSpacing.class, value);
  }
}
