package dev.reelfarm.worker.diffusion;

import static dev.reelfarm.worker.diffusion.SamplerFixtures.LATENT_DIFFUSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Frame 1 of a 3-frame window (BFCHW, 2 values a frame) is known: clean 2.0, noise 0.5. */
class ReplacementConditioningTest {

  private static final LatentShape SHAPE = new LatentShape(LatentLayout.BFCHW, 2, 3, 1, 1);
  private static final ContextFrames CONTEXT =
      ContextFrames.of(SHAPE, Map.of(1, new float[] {2f, 2f}));
  private static final float[] UNIT_NOISE = {0.1f, 0.2f, 0.5f, 0.5f, 0.3f, 0.4f};
  private static final float[] SAMPLE = {7f, 7f, 7f, 7f, 7f, 7f};

  @Test
  void knownFrameIsTheCleanLatentNoisedToTheStepsTimestep() {
    SamplingPlan plan = new DdimSampler(LATENT_DIFFUSION).plan(10);
    ReplacementConditioning replacement = new ReplacementConditioning(CONTEXT, UNIT_NOISE);

    float[] atFirstStep = replacement.replaceKnownFrames(plan, 0, SAMPLE);
    float[] atFourthStep = replacement.replaceKnownFrames(plan, 3, SAMPLE);

    // t = 901, ᾱ = 0.014004897893943923: √ᾱ·2 + √(1−ᾱ)·0.5
    assertThat(plan.timestep(0)).isEqualTo(901);
    assertThat(atFirstStep)
        .containsExactly(new float[] {7f, 7f, 0.7331710128f, 0.7331710128f, 7f, 7f}, within(1e-6f));
    // t = 601, ᾱ = 0.15981643744582558
    assertThat(plan.timestep(3)).isEqualTo(601);
    assertThat(atFourthStep[2]).isCloseTo(1.2578485994691406f, within(1e-6f));
    assertThat(SAMPLE).containsOnly(7f);
  }

  @Test
  void knownFrameIsNoisedInTheSamplersOwnSpace() {
    SamplingPlan plan =
        new EulerSampler(LATENT_DIFFUSION.withTimestepSpacing(TimestepSpacing.TRAILING)).plan(10);

    float[] replaced =
        new ReplacementConditioning(CONTEXT, UNIT_NOISE).replaceKnownFrames(plan, 3, SAMPLE);

    // Euler keeps x0 + σ·ε; t = 699, σ = 3.321083129846573
    assertThat(replaced[2]).isCloseTo(3.660541564923286f, within(1e-5f));
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void knownFramesEndExactlyAsTheirContextAndUnknownFramesAreDenoised(SamplerAlgorithm algorithm) {
    SchedulerConfig config = SamplerFixtures.configFor(algorithm);
    Sampler sampler = algorithm.create(config);
    SamplingPlan plan = sampler.plan(10);
    float[] clean = {2f, 2f, 2f, 2f, 2f, 2f};
    ReplacementConditioning replacement = new ReplacementConditioning(CONTEXT, UNIT_NOISE);
    SamplerFixtures.Model oracle = SamplerFixtures.oracle(clean, config.predictionType());

    float[] sample = plan.initialSample(UNIT_NOISE);
    SamplerState state = SamplerState.initial();
    for (int i = 0; i < plan.steps(); i++) {
      sample = replacement.replaceKnownFrames(plan, i, sample);
      float[] output = oracle.predict(plan, i, plan.scaleModelInput(i, sample));
      StepResult result = sampler.step(plan, i, sample, output, state);
      sample = result.sample();
      state = result.state();
    }
    float[] result = CONTEXT.restoreKnownFrames(sample);

    assertThat(SHAPE.frame(result, 1)).containsExactly(2f, 2f);
    float[] expected = new float[clean.length];
    Arrays.fill(expected, 2f);
    assertThat(result).containsExactly(expected, within(1e-4f));
  }
}
