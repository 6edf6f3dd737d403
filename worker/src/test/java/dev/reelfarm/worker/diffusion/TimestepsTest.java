package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Ten steps over 1000 training timesteps, as diffusers' DDIMScheduler.set_timesteps gives them. */
class TimestepsTest {

  private static SchedulerConfig config(TimestepSpacing spacing, int stepsOffset) {
    return SchedulerConfig.defaults().withTimestepSpacing(spacing).withStepsOffset(stepsOffset);
  }

  @Test
  void leadingCountsUpFromZeroInStridesPlusTheOffset() {
    assertThat(Timesteps.spaced(config(TimestepSpacing.LEADING, 0), 10))
        .containsExactly(900, 800, 700, 600, 500, 400, 300, 200, 100, 0);
    assertThat(Timesteps.spaced(config(TimestepSpacing.LEADING, 1), 10))
        .containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
  }

  @Test
  void trailingCountsDownFromTheLastTrainingTimestep() {
    assertThat(Timesteps.spaced(config(TimestepSpacing.TRAILING, 1), 10))
        .containsExactly(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
  }

  @Test
  void linspaceIncludesBothEnds() {
    assertThat(Timesteps.spaced(config(TimestepSpacing.LINSPACE, 1), 10))
        .containsExactly(999, 888, 777, 666, 555, 444, 333, 222, 111, 0);
  }

  @Test
  void halfwayValuesRoundToEvenLikeNumpy() {
    // 1000 − 62.5·k: 937.5 → 938 and 812.5 → 812, then − 1
    int[] timesteps = Timesteps.spaced(config(TimestepSpacing.TRAILING, 0), 16);

    assertThat(timesteps[1]).isEqualTo(937);
    assertThat(timesteps[3]).isEqualTo(811);
  }

  @Test
  void trailingKeepsExactlyTheRequestedStepsWhereNumpyArangeOvershoots() {
    // numpy.arange(1000, 0, -1000/61) has 62 elements and diffusers ends on timestep −1.
    int[] timesteps = Timesteps.spaced(config(TimestepSpacing.TRAILING, 0), 61);

    assertThat(timesteps).hasSize(61);
    assertThat(timesteps[60]).isEqualTo(15);
  }

  @Test
  void stepCountsTheScheduleCannotSpaceAreRejected() {
    assertThatThrownBy(() -> Timesteps.spaced(config(TimestepSpacing.LEADING, 0), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timesteps.spaced(config(TimestepSpacing.LEADING, 0), 1001))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timesteps.spaced(config(TimestepSpacing.LEADING, 1), 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestep 1000 outside [0, 1000)");
  }
}
