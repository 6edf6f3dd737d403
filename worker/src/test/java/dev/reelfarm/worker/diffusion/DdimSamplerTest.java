package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Hand-checkable DDIM steps on a four-timestep schedule: linear β = 0.1, 0.2, 0.3, 0.4, so ᾱ = 0.9,
 * 0.72, 0.504, 0.3024. Two leading steps visit t = 2 and t = 0 (stride 2).
 */
class DdimSamplerTest {

  private static final SchedulerConfig TINY =
      SchedulerConfig.defaults().withNumTrainTimesteps(4).withBetas(BetaSchedule.LINEAR, 0.1, 0.4);
  private static final float[] SAMPLE = {1.0f, -0.5f};
  private static final float[] EPSILON = {0.5f, 0.25f};

  @Test
  void stepMovesAlongThePredictedNoiseToTheLevelOneStrideBelow() {
    DdimSampler sampler = new DdimSampler(TINY);
    SamplingPlan plan = sampler.plan(2);

    StepResult result = sampler.step(plan, 0, SAMPLE, EPSILON, SamplerState.initial());

    assertThat(plan.timesteps()).containsExactly(2.0, 0.0);
    // x0 = (x − √(1−0.504)·ε)/√0.504; x_prev = √0.9·x0 + √(1−0.9)·ε
    assertThat(result.denoised())
        .containsExactly(new float[] {0.9125745517856311f, -0.9523031486547122f}, within(1e-6f));
    assertThat(result.sample())
        .containsExactly(new float[] {1.0238581185133808f, -0.8243771503054316f}, within(1e-6f));
  }

  @Test
  void lastStepLandsOnTheCleanSampleWithSetAlphaToOne() {
    DdimSampler sampler = new DdimSampler(TINY);
    SamplingPlan plan = sampler.plan(2);

    StepResult result = sampler.step(plan, 1, SAMPLE, EPSILON, SamplerState.initial().next());

    // t − stride = −2, so ᾱ_prev = 1 and x_prev = x0 = (x − √0.1·ε)/√0.9
    assertThat(result.sample())
        .containsExactly(new float[] {0.8874258867227931f, -0.6103796100280633f}, within(1e-6f));
  }

  @Test
  void lastStepStaysAtAlphaBarZeroWithoutSetAlphaToOne() {
    DdimSampler sampler = new DdimSampler(TINY.withSetAlphaToOne(false));
    SamplingPlan plan = sampler.plan(2);

    StepResult result = sampler.step(plan, 1, SAMPLE, EPSILON, SamplerState.initial().next());

    // ᾱ_prev = ᾱ_0 = ᾱ_t: the step reassembles the sample it was given.
    assertThat(plan.alphaBarAfter(1)).isEqualTo(0.9, within(1e-15));
    assertThat(result.sample()).containsExactly(SAMPLE, within(1e-6f));
  }

  @Test
  void clipSampleClampsThePredictedCleanSampleButNotTheNoise() {
    DdimSampler sampler = new DdimSampler(TINY.withClipSample(true, 1.0));
    SamplingPlan plan = sampler.plan(2);

    StepResult result =
        sampler.step(plan, 0, new float[] {1.0f}, new float[] {-0.5f}, SamplerState.initial());

    // Unclipped x0 = (1 + √0.496·0.5)/√0.504 ≈ 1.905 → 1; ε stays −0.5: √0.9·1 + √0.1·(−0.5)
    assertThat(result.denoised()).containsExactly(1.0f);
    assertThat(result.sample()[0]).isCloseTo(0.7905694150420948f, within(1e-6f));
  }

  @Test
  void linspaceStepsLandOneStrideBelowNotOnTheNextTimestepLikeDiffusers() {
    SchedulerConfig config =
        SamplerFixtures.LATENT_DIFFUSION.withTimestepSpacing(TimestepSpacing.LINSPACE);
    NoiseSchedule schedule = NoiseSchedule.of(config);

    SamplingPlan plan = new DdimSampler(config).plan(10);

    assertThat(plan.timestep(1)).isEqualTo(888.0);
    assertThat(plan.alphaBarAfter(0)).isEqualTo(schedule.alphaBar(899));
  }
}
