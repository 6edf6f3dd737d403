package dev.reelfarm.worker.diffusion;

import static dev.reelfarm.worker.diffusion.SamplerFixtures.LATENT_DIFFUSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** σ values are √((1−ᾱ_t)/ᾱ_t) of the latent-diffusion schedule, from numpy. */
class EulerSamplerTest {

  private static final double SIGMA_999 = 14.614641229333639;
  private static final double SIGMA_899 = 8.302803191053336;

  private static EulerSampler sampler(TimestepSpacing spacing) {
    return new EulerSampler(LATENT_DIFFUSION.withTimestepSpacing(spacing));
  }

  @Test
  void modelInputIsTheSampleDividedBySqrtOfSigmaSquaredPlusOne() {
    SamplingPlan plan = sampler(TimestepSpacing.TRAILING).plan(10);

    float[] input = plan.scaleModelInput(1, new float[] {2.0f, -4.0f});

    double scale = Math.sqrt(SIGMA_899 * SIGMA_899 + 1);
    assertThat(input).containsExactly(new float[] {(float) (2 / scale), (float) (-4 / scale)});
  }

  @Test
  void initialNoiseSigmaIsSigmaMaxExceptForLeadingSpacingLikeDiffusers() {
    assertThat(sampler(TimestepSpacing.TRAILING).plan(10).initialNoiseSigma())
        .isCloseTo(SIGMA_999, within(1e-9));
    // leading with steps_offset 1 starts at t = 901: √(σ_901² + 1)
    assertThat(sampler(TimestepSpacing.LEADING).plan(10).initialNoiseSigma())
        .isCloseTo(8.450064550829065, within(1e-9));
  }

  @Test
  void linspaceTimestepsStayFractional() {
    SamplingPlan plan = sampler(TimestepSpacing.LINSPACE).plan(25);

    assertThat(plan.timestep(1)).isEqualTo(999 - 999 / 24.0);
  }

  @Test
  void epsilonStepMovesTheSampleAlongTheNoiseBySigmaDifference() {
    EulerSampler sampler = sampler(TimestepSpacing.TRAILING);
    SamplingPlan plan = sampler.plan(10);

    StepResult result =
        sampler.step(plan, 0, new float[] {10f}, new float[] {0.5f}, SamplerState.initial());

    // derivative = ε, so x_next = x + ε·(σ_899 − σ_999); x0 = x − σ_999·ε
    assertThat(result.sample()[0])
        .isCloseTo((float) (10 + 0.5 * (SIGMA_899 - SIGMA_999)), within(1e-5f));
    assertThat(result.denoised()[0]).isCloseTo((float) (10 - 0.5 * SIGMA_999), within(1e-5f));
  }
}
