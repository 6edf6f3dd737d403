package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** Expected values: diffusers' formulas evaluated in numpy float64. */
class NoiseScheduleTest {

  private static final double PERCENT = 1e-10;

  @Test
  void scaledLinearMatchesTheLatentDiffusionSchedule() {
    NoiseSchedule schedule = NoiseSchedule.of(SamplerFixtures.LATENT_DIFFUSION);

    // β = linspace(√0.00085, √0.012, 1000)², ᾱ = cumprod(1 − β)
    assertThat(schedule.trainTimesteps()).isEqualTo(1000);
    assertThat(schedule.beta(0)).isCloseTo(0.00085, withinPercentage(PERCENT));
    assertThat(schedule.beta(1)).isCloseTo(0.0008546986554056862, withinPercentage(PERCENT));
    assertThat(schedule.beta(500)).isCloseTo(0.00481495414171188, withinPercentage(PERCENT));
    assertThat(schedule.beta(999)).isCloseTo(0.012, withinPercentage(PERCENT));
    assertThat(schedule.alphaBar(0)).isCloseTo(0.99915, withinPercentage(PERCENT));
    assertThat(schedule.alphaBar(1)).isCloseTo(0.9982960278384514, withinPercentage(PERCENT));
    assertThat(schedule.alphaBar(500)).isCloseTo(0.2763326838229746, withinPercentage(PERCENT));
    assertThat(schedule.alphaBar(999)).isCloseTo(0.004660098513077238, withinPercentage(PERCENT));
  }

  @Test
  void linearBetasAreEvenlySpaced() {
    NoiseSchedule schedule = NoiseSchedule.of(SchedulerConfig.defaults());

    assertThat(schedule.beta(500)).isCloseTo(0.010059959959959959, withinPercentage(PERCENT));
    assertThat(schedule.alphaBar(999)).isCloseTo(4.035829765375676e-05, withinPercentage(PERCENT));
  }

  @Test
  void squaredCosineFollowsTheCosineAlphaBarAndCapsBetaAt0_999() {
    NoiseSchedule schedule =
        NoiseSchedule.of(
            SchedulerConfig.defaults().withBetas(BetaSchedule.SQUAREDCOS_CAP_V2, 0.0001, 0.02));

    // β_i = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999) with ᾱ(t) = cos²((t + 0.008)/1.008 · π/2)
    assertThat(schedule.beta(0)).isCloseTo(4.128422482196914e-05, withinPercentage(PERCENT));
    assertThat(schedule.beta(500)).isCloseTo(0.003155691441585007, withinPercentage(PERCENT));
    assertThat(schedule.beta(998)).isCloseTo(0.7499993929011166, withinPercentage(PERCENT));
    assertThat(schedule.beta(999)).isEqualTo(0.999);
    assertThat(schedule.alphaBar(500)).isCloseTo(0.49228517244880304, withinPercentage(PERCENT));
  }

  @Test
  void sigmaIsInterpolatedLinearlyBetweenIntegerTimesteps() {
    NoiseSchedule schedule = NoiseSchedule.of(SamplerFixtures.LATENT_DIFFUSION);
    double sigma500 = Math.sqrt((1 - schedule.alphaBar(500)) / schedule.alphaBar(500));
    double sigma501 = Math.sqrt((1 - schedule.alphaBar(501)) / schedule.alphaBar(501));

    assertThat(schedule.interpolatedSigma(500)).isEqualTo(sigma500);
    assertThat(schedule.interpolatedSigma(500.25))
        .isCloseTo(sigma500 + 0.25 * (sigma501 - sigma500), withinPercentage(PERCENT));
    assertThatThrownBy(() -> schedule.interpolatedSigma(999.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
