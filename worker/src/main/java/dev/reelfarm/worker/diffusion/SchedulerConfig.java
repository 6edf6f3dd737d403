package dev.reelfarm.worker.diffusion;

import java.util.Objects;

/**
 * A bundle's scheduler settings, named after the keys of diffusers' {@code scheduler_config.json}
 * ({@code num_train_timesteps} is {@code numTrainTimesteps}, and so on). Options no sampler here
 * implements (trained_betas, thresholding, rescale_betas_zero_snr, karras sigmas,
 * lambda_min_clipped) are deliberately absent: whoever maps a bundle's JSON should refuse a config
 * that turns one on rather than render with a different schedule.
 *
 * @param clipSample clamp the predicted x0 to ±clipSampleRange; read by DDIM only, as in diffusers
 * @param setAlphaToOne DDIM's last step lands on ᾱ = 1 (a clean sample) instead of ᾱ_0
 * @param shift flow matching's timestep shift s: σ ↦ s·σ / (1 + (s−1)·σ), which spends more steps
 *     at high noise (FlowMatchEulerDiscreteScheduler's {@code shift}); read only with {@link
 *     PredictionType#FLOW_PREDICTION}, whose schedule has no betas
 */
public record SchedulerConfig(
    int numTrainTimesteps,
    BetaSchedule betaSchedule,
    double betaStart,
    double betaEnd,
    PredictionType predictionType,
    TimestepSpacing timestepSpacing,
    int stepsOffset,
    boolean clipSample,
    double clipSampleRange,
    boolean setAlphaToOne,
    double shift) {

  public SchedulerConfig {
    Objects.requireNonNull(betaSchedule, "betaSchedule");
    Objects.requireNonNull(predictionType, "predictionType");
    Objects.requireNonNull(timestepSpacing, "timestepSpacing");
    if (numTrainTimesteps < 1) {
      throw new IllegalArgumentException("numTrainTimesteps must be >= 1: " + numTrainTimesteps);
    }
    if (!(0.0 <= betaStart && betaStart <= betaEnd && betaEnd < 1.0)) {
      throw new IllegalArgumentException(
          "need 0 <= betaStart <= betaEnd < 1: " + betaStart + ", " + betaEnd);
    }
    if (stepsOffset < 0) {
      throw new IllegalArgumentException("stepsOffset must be >= 0: " + stepsOffset);
    }
    if (!(clipSampleRange > 0.0)) {
      throw new IllegalArgumentException("clipSampleRange must be > 0: " + clipSampleRange);
    }
    if (!(shift > 0.0 && Double.isFinite(shift))) {
      throw new IllegalArgumentException("shift must be > 0: " + shift);
    }
  }

  /**
   * diffusers' DDIMScheduler defaults, except {@code clipSample}: off, because clamping latents to
   * [−1, 1] damages latent-diffusion models, whose configs all turn it off.
   */
  public static SchedulerConfig defaults() {
    return new SchedulerConfig(
        1000,
        BetaSchedule.LINEAR,
        0.0001,
        0.02,
        PredictionType.EPSILON,
        TimestepSpacing.LEADING,
        0,
        false,
        1.0,
        true,
        1.0);
  }

  /**
   * A flow-matching model's schedule: FlowMatchEulerDiscreteScheduler's defaults with this {@code
   * shift}; the beta fields keep their defaults and are not read.
   */
  public static SchedulerConfig flowMatching(int numTrainTimesteps, double shift) {
    return defaults()
        .withNumTrainTimesteps(numTrainTimesteps)
        .withPredictionType(PredictionType.FLOW_PREDICTION)
        .withTimestepSpacing(TimestepSpacing.LINSPACE)
        .withShift(shift);
  }

  public SchedulerConfig withNumTrainTimesteps(int value) {
    return new SchedulerConfig(
        value,
        betaSchedule,
        betaStart,
        betaEnd,
        predictionType,
        timestepSpacing,
        stepsOffset,
        clipSample,
        clipSampleRange,
        setAlphaToOne,
        shift);
  }

  public SchedulerConfig withBetas(BetaSchedule schedule, double start, double end) {
    return new SchedulerConfig(
        numTrainTimesteps,
        schedule,
        start,
        end,
        predictionType,
        timestepSpacing,
        stepsOffset,
        clipSample,
        clipSampleRange,
        setAlphaToOne,
        shift);
  }

  public SchedulerConfig withPredictionType(PredictionType value) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaSchedule,
        betaStart,
        betaEnd,
        value,
        timestepSpacing,
        stepsOffset,
        clipSample,
        clipSampleRange,
        setAlphaToOne,
        shift);
  }

  public SchedulerConfig withTimestepSpacing(TimestepSpacing value) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaSchedule,
        betaStart,
        betaEnd,
        predictionType,
        value,
        stepsOffset,
        clipSample,
        clipSampleRange,
        setAlphaToOne,
        shift);
  }

  public SchedulerConfig withStepsOffset(int value) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaSchedule,
        betaStart,
        betaEnd,
        predictionType,
        timestepSpacing,
        value,
        clipSample,
        clipSampleRange,
        setAlphaToOne,
        shift);
  }

  public SchedulerConfig withClipSample(boolean clip, double range) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaSchedule,
        betaStart,
        betaEnd,
        predictionType,
        timestepSpacing,
        stepsOffset,
        clip,
        range,
        setAlphaToOne,
        shift);
  }

  public SchedulerConfig withSetAlphaToOne(boolean value) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaSchedule,
        betaStart,
        betaEnd,
        predictionType,
        timestepSpacing,
        stepsOffset,
        clipSample,
        clipSampleRange,
        value,
        shift);
  }

  public SchedulerConfig withShift(double value) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaSchedule,
        betaStart,
        betaEnd,
        predictionType,
        timestepSpacing,
        stepsOffset,
        clipSample,
        clipSampleRange,
        setAlphaToOne,
        value);
  }
}
