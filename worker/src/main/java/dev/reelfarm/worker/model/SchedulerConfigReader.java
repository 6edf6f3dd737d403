package dev.reelfarm.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.worker.diffusion.BetaSchedule;
import dev.reelfarm.worker.diffusion.PredictionType;
import dev.reelfarm.worker.diffusion.SchedulerConfig;
import dev.reelfarm.worker.diffusion.TimestepSpacing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Maps a diffusers {@code scheduler_config.json} onto {@link SchedulerConfig}; absent keys keep
 * diffusers' defaults. A flow-matching model's config is one of class {@code
 * FlowMatchEulerDiscreteScheduler} ({@code shift}) or any with {@code prediction_type}
 * "flow_prediction" (Wan's UniPC config, {@code flow_shift}); the schedule options no sampler here
 * implements are refused rather than ignored.
 */
public final class SchedulerConfigReader {

  static final String FLOW_MATCH_CLASS = "FlowMatchEulerDiscreteScheduler";

  /**
   * DDPM-family options no sampler here implements (a schedule of its own, x0 thresholding, zero
   * terminal SNR, Karras sigmas): each must be absent, false or null.
   */
  private static final List<String> UNSUPPORTED_DDPM_OPTIONS =
      List.of("trained_betas", "thresholding", "rescale_betas_zero_snr", "use_karras_sigmas");

  /** Flow-matching options that change the schedule: each must be absent, false or null. */
  private static final List<String> UNSUPPORTED_FLOW_OPTIONS =
      List.of(
          "use_dynamic_shifting",
          "invert_sigmas",
          "shift_terminal",
          "use_karras_sigmas",
          "use_exponential_sigmas",
          "use_beta_sigmas",
          "stochastic_sampling");

  public static SchedulerConfig read(Path file) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    SchedulerConfig d = SchedulerConfig.defaults();
    try {
      if (FLOW_MATCH_CLASS.equals(json.path("_class_name").asText())
          || PredictionType.FLOW_PREDICTION
              .configValue()
              .equals(json.path("prediction_type").asText())) {
        return flowMatching(json, d);
      }
      refuseUnsupported(
          json,
          UNSUPPORTED_DDPM_OPTIONS,
          "the samplers here use the beta schedule named by beta_schedule, without thresholding");
      return new SchedulerConfig(
          json.path("num_train_timesteps").asInt(d.numTrainTimesteps()),
          json.has("beta_schedule")
              ? BetaSchedule.fromConfigValue(json.get("beta_schedule").asText())
              : d.betaSchedule(),
          json.path("beta_start").asDouble(d.betaStart()),
          json.path("beta_end").asDouble(d.betaEnd()),
          json.has("prediction_type")
              ? PredictionType.fromConfigValue(json.get("prediction_type").asText())
              : d.predictionType(),
          json.has("timestep_spacing")
              ? TimestepSpacing.fromConfigValue(json.get("timestep_spacing").asText())
              : d.timestepSpacing(),
          json.path("steps_offset").asInt(d.stepsOffset()),
          json.path("clip_sample").asBoolean(d.clipSample()),
          json.path("clip_sample_range").asDouble(d.clipSampleRange()),
          json.path("set_alpha_to_one").asBoolean(d.setAlphaToOne()),
          d.shift());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static SchedulerConfig flowMatching(JsonNode json, SchedulerConfig d) {
    refuseUnsupported(
        json,
        UNSUPPORTED_FLOW_OPTIONS,
        "the flow-matching sampler uses a static shift: write the shift your resolution gets as"
            + " \"shift\"");
    double shift =
        json.has("shift") ? json.get("shift").asDouble() : json.path("flow_shift").asDouble(1.0);
    return SchedulerConfig.flowMatching(
        json.path("num_train_timesteps").asInt(d.numTrainTimesteps()), shift);
  }

  /** Refuses the first of {@code options} that is set: anything but absent, false or null. */
  private static void refuseUnsupported(JsonNode json, List<String> options, String instead) {
    for (String option : options) {
      JsonNode value = json.path(option);
      if (!value.isMissingNode() && !value.isNull() && !(value.isBoolean() && !value.asBoolean()))
        throw new IllegalArgumentException(option + " is not supported (" + instead + ")");
    }
  }

  private SchedulerConfigReader() {}
}
