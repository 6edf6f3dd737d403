package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * On the four-timestep schedule of {@link DdimSamplerTest} (ᾱ = 0.9, 0.72, 0.504, 0.3024), three
 * trailing steps visit t = 3, 2, 0. With sample prediction the model output is x0 itself, which
 * makes the multistep arithmetic visible; expected values from a numpy transcription of diffusers.
 */
class DpmSolverPlusPlus2MSamplerTest {

  private static final SchedulerConfig TINY_SAMPLE_PREDICTION =
      SchedulerConfig.defaults()
          .withNumTrainTimesteps(4)
          .withBetas(BetaSchedule.LINEAR, 0.1, 0.4)
          .withTimestepSpacing(TimestepSpacing.TRAILING)
          .withPredictionType(PredictionType.SAMPLE);

  @Test
  void middleStepIsSecondOrderOverThePreviousPrediction() {
    DpmSolverPlusPlus2MSampler sampler = new DpmSolverPlusPlus2MSampler(TINY_SAMPLE_PREDICTION);
    SamplingPlan plan = sampler.plan(3);

    StepResult first =
        sampler.step(plan, 0, new float[] {0.8f}, new float[] {0.3f}, SamplerState.initial());
    StepResult second = sampler.step(plan, 1, first.sample(), new float[] {0.1f}, first.state());
    StepResult withoutHistory =
        sampler.step(plan, 1, first.sample(), new float[] {0.1f}, SamplerState.initial().next());

    assertThat(plan.timesteps()).containsExactly(3.0, 2.0, 0.0);
    assertThat(first.sample()[0]).isCloseTo(0.748442506483198f, within(1e-6f));
    assertThat(second.sample()[0]).isCloseTo(0.237766311135155f, within(1e-6f));
    assertThat(withoutHistory.sample()[0]).isCloseTo(0.3990521569837863f, within(1e-6f));
  }

  @Test
  void finalStepIsFirstOrderAndReturnsThePrediction() {
    DpmSolverPlusPlus2MSampler sampler = new DpmSolverPlusPlus2MSampler(TINY_SAMPLE_PREDICTION);
    SamplingPlan plan = sampler.plan(3);
    SamplerState lastStepWithHistory =
        SamplerState.initial().next(new float[] {5f}).next(new float[] {-5f});

    StepResult result =
        sampler.step(plan, 2, new float[] {0.9f}, new float[] {0.25f}, lastStepWithHistory);

    assertThat(result.sample()).containsExactly(0.25f);
  }

  @Test
  void leadingAndLinspaceSpaceOneMorePointAndDropTheLastLikeDiffusers() {
    SchedulerConfig config = SchedulerConfig.defaults();

    assertThat(new DpmSolverPlusPlus2MSampler(config).plan(10).timesteps())
        .containsExactly(900, 810, 720, 630, 540, 450, 360, 270, 180, 90);
    assertThat(
            new DpmSolverPlusPlus2MSampler(config.withTimestepSpacing(TimestepSpacing.LINSPACE))
                .plan(10)
                .timesteps())
        .containsExactly(999, 899, 799, 699, 599, 500, 400, 300, 200, 100);
  }
}
