package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

  @Test
  void diffusersConfigStringsMapToTheEnums() {
    assertThat(BetaSchedule.fromConfigValue("scaled_linear")).isEqualTo(BetaSchedule.SCALED_LINEAR);
    assertThat(BetaSchedule.fromConfigValue("squaredcos_cap_v2"))
        .isEqualTo(BetaSchedule.SQUAREDCOS_CAP_V2);
    assertThat(PredictionType.fromConfigValue("v_prediction"))
        .isEqualTo(PredictionType.V_PREDICTION);
    assertThat(TimestepSpacing.fromConfigValue("trailing")).isEqualTo(TimestepSpacing.TRAILING);
    assertThat(PredictionType.SAMPLE.configValue()).isEqualTo("sample");
    assertThat(PredictionType.fromConfigValue("flow_prediction"))
        .isEqualTo(PredictionType.FLOW_PREDICTION);
  }

  @Test
  void unknownConfigStringIsRejectedNamingTheAcceptedOnes() {
    assertThatThrownBy(() -> BetaSchedule.fromConfigValue("karras"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'karras'")
        .hasMessageContaining("linear, scaled_linear, squaredcos_cap_v2");
  }

  @Test
  void defaultsAreDiffusersDdimDefaultsWithClippingOff() {
    SchedulerConfig defaults = SchedulerConfig.defaults();

    assertThat(defaults)
        .isEqualTo(
            new SchedulerConfig(
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
                1.0));
  }

  @Test
  void impossibleSettingsAreRejected() {
    SchedulerConfig defaults = SchedulerConfig.defaults();

    assertThatThrownBy(() -> defaults.withNumTrainTimesteps(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBetas(BetaSchedule.LINEAR, 0.02, 0.01))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withStepsOffset(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withClipSample(true, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withShift(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
