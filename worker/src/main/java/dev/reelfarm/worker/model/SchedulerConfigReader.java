package dev.reelfarm.worker.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.worker.diffusion.BetaSchedule;
import dev.reelfarm.worker.diffusion.PredictionType;
import dev.reelfarm.worker.diffusion.SchedulerConfig;
import dev.reelfarm.worker.diffusion.TimestepSpacing;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Maps a diffusers {@code scheduler_config.json} onto {@link SchedulerConfig}; absent keys keep
 * diffusers' defaults.
 */
public final class SchedulerConfigReader {

  public static SchedulerConfig read(Path file) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    SchedulerConfig d = SchedulerConfig.defaults();
    try {
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
          json.path("set_alpha_to_one").asBoolean(d.setAlphaToOne()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private SchedulerConfigReader() {}
}
