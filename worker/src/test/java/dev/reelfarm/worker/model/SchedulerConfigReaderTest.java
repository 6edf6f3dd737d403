package dev.reelfarm.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.worker.diffusion.BetaSchedule;
import dev.reelfarm.worker.diffusion.PredictionType;
import dev.reelfarm.worker.diffusion.SchedulerConfig;
import dev.reelfarm.worker.diffusion.TimestepSpacing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** diffusers' scheduler_config.json onto SchedulerConfig: defaults, both families, refusals. */
class SchedulerConfigReaderTest {
  @TempDir Path dir;

  private SchedulerConfig read(String json) throws IOException {
    Path file = dir.resolve("scheduler_config.json");
    Files.writeString(file, json);
    return SchedulerConfigReader.read(file);
  }

  @Test
  void theDefaultModelsDdimConfigIsReadKeyByKey() {
    Path file = Fixtures.repoPath("models/tiny-shapes").resolve("scheduler/scheduler_config.json");
    SchedulerConfig config = SchedulerConfigReader.read(file);

    assertThat(config.numTrainTimesteps()).isEqualTo(1000);
    assertThat(config.betaSchedule()).isEqualTo(BetaSchedule.LINEAR);
    assertThat(config.predictionType()).isEqualTo(PredictionType.V_PREDICTION);
    assertThat(config.timestepSpacing()).isEqualTo(TimestepSpacing.TRAILING);
    assertThat(config.setAlphaToOne()).isTrue();
    assertThat(config.clipSample()).isFalse();
  }

  @Test
  void absentKeysKeepDiffusersDefaults() throws IOException {
    assertThat(read("{\"_class_name\":\"DDIMScheduler\"}")).isEqualTo(SchedulerConfig.defaults());
  }

  @Test
  void aFlowMatchEulerConfigAndAWanStyleFlowPredictionConfigGetTheirShift() throws IOException {
    assertThat(
            read(
                "{\"_class_name\":\"FlowMatchEulerDiscreteScheduler\",\"num_train_timesteps\":1000,"
                    + "\"shift\":2.0,\"use_dynamic_shifting\":false}"))
        .isEqualTo(SchedulerConfig.flowMatching(1000, 2.0));
    assertThat(
            read(
                "{\"_class_name\":\"UniPCMultistepScheduler\",\"prediction_type\":\"flow_prediction\","
                    + "\"flow_shift\":3.0,\"use_karras_sigmas\":null}"))
        .isEqualTo(SchedulerConfig.flowMatching(1000, 3.0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"thresholding\":true",
        "\"rescale_betas_zero_snr\":true",
        "\"trained_betas\":[0.1,0.2]",
        "\"use_karras_sigmas\":true"
      })
  void aDdpmOptionNoSamplerImplementsIsRefusedByName(String option) {
    String name = option.substring(1, option.indexOf('"', 1));
    assertThatThrownBy(() -> read("{\"_class_name\":\"DDIMScheduler\"," + option + "}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scheduler_config.json: " + name + " is not supported");
  }

  @Test
  void anUnsupportedOptionTurnedOffOrNullIsAccepted() throws IOException {
    assertThat(
            read(
                "{\"trained_betas\":null,\"thresholding\":false,\"rescale_betas_zero_snr\":false}"))
        .isEqualTo(SchedulerConfig.defaults());
  }

  @Test
  void dynamicShiftingIsRefusedWithWhatToWriteInstead() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"_class_name\":\"FlowMatchEulerDiscreteScheduler\","
                        + "\"use_dynamic_shifting\":true}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use_dynamic_shifting is not supported")
        .hasMessageContaining("\"shift\"");
  }

  @Test
  void anUnknownBetaScheduleAndBrokenJsonNameTheFile() {
    assertThatThrownBy(() -> read("{\"beta_schedule\":\"squaredcos_cap_v3\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scheduler_config.json: ");
    assertThatThrownBy(() -> read("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid JSON");
  }
}
