package dev.reelfarm.worker.diffusion;

/**
 * The training-time forward process: β_t and ᾱ_t = ∏(1 − β_s) for t in [0, T), computed with
 * diffusers' formulas. diffusers builds them in float32; this uses double, so values agree to
 * float32 rounding (about 1e-7 relative) rather than bit for bit.
 */
public final class NoiseSchedule {

  /** diffusers' betas_for_alpha_bar cap: keeps the last β below 1 so ᾱ never reaches 0. */
  private static final double MAX_COSINE_BETA = 0.999;

  private final double[] betas;
  private final double[] alphaBars;

  private NoiseSchedule(double[] betas) {
    this.betas = betas;
    this.alphaBars = new double[betas.length];
    double product = 1.0;
    for (int t = 0; t < betas.length; t++) {
      product *= 1.0 - betas[t];
      alphaBars[t] = product;
    }
  }

  /**
   * @throws IllegalArgumentException for a flow-matching config, which has no betas
   */
  public static NoiseSchedule of(SchedulerConfig config) {
    if (config.predictionType() == PredictionType.FLOW_PREDICTION) {
      throw new IllegalArgumentException(
          "a flow_prediction model was trained on the flow-matching schedule, not on betas:"
              + " sample it with "
              + SamplerAlgorithm.FLOW_MATCH_EULER.canonicalName());
    }
    int steps = config.numTrainTimesteps();
    return new NoiseSchedule(
        switch (config.betaSchedule()) {
          case LINEAR -> linspace(config.betaStart(), config.betaEnd(), steps);
          case SCALED_LINEAR ->
              squared(linspace(Math.sqrt(config.betaStart()), Math.sqrt(config.betaEnd()), steps));
          case SQUAREDCOS_CAP_V2 -> cosineBetas(steps);
        });
  }

  public int trainTimesteps() {
    return betas.length;
  }

  public double beta(int timestep) {
    return betas[timestep];
  }

  /** ᾱ_t, diffusers' {@code alphas_cumprod[t]}. */
  public double alphaBar(int timestep) {
    return alphaBars[timestep];
  }

  /**
   * σ = √((1 − ᾱ)/ᾱ) at a possibly fractional timestep, linearly interpolated between integer
   * timesteps like diffusers' {@code np.interp(timesteps, arange(T), sigmas)}.
   */
  public double interpolatedSigma(double timestep) {
    if (!(timestep >= 0 && timestep <= betas.length - 1)) {
      throw new IllegalArgumentException(
          "timestep " + timestep + " outside [0, " + (betas.length - 1) + "]");
    }
    int below = (int) Math.floor(timestep);
    double fraction = timestep - below;
    if (fraction == 0.0) {
      return sigma(below);
    }
    return sigma(below) + fraction * (sigma(below + 1) - sigma(below));
  }

  private double sigma(int timestep) {
    return Math.sqrt((1.0 - alphaBars[timestep]) / alphaBars[timestep]);
  }

  /** numpy/torch linspace: start + i·(end − start)/(n − 1), both ends included. */
  private static double[] linspace(double start, double end, int count) {
    double[] values = new double[count];
    double step = count > 1 ? (end - start) / (count - 1) : 0.0;
    for (int i = 0; i < count; i++) {
      values[i] = start + i * step;
    }
    if (count > 1) {
      values[count - 1] = end;
    }
    return values;
  }

  private static double[] squared(double[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] *= values[i];
    }
    return values;
  }

  /** diffusers' betas_for_alpha_bar with the "cosine" transform (improved DDPM, eq. 17). */
  private static double[] cosineBetas(int steps) {
    double[] betas = new double[steps];
    for (int i = 0; i < steps; i++) {
      double t1 = (double) i / steps;
      double t2 = (double) (i + 1) / steps;
      betas[i] = Math.min(1.0 - cosineAlphaBar(t2) / cosineAlphaBar(t1), MAX_COSINE_BETA);
    }
    return betas;
  }

  private static double cosineAlphaBar(double t) {
    double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
    return c * c;
  }
}
