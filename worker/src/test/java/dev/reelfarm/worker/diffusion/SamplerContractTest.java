package dev.reelfarm.worker.diffusion;

import static dev.reelfarm.worker.diffusion.SamplerFixtures.FLOW_MATCHING;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.LATENT_DIFFUSION;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.configFor;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.denoise;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.oracle;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.toyModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link Sampler} keeps, for every model kind it accepts: each prediction type
 * and timestep spacing of a DDPM-trained model, each shift of a flow-matching one.
 */
class SamplerContractTest {

  private static final float[] CLEAN = {0.8f, -1.1f, 0.05f, 2.3f, -0.4f, 1.0f};
  private static final float[] NOISE = new FrameNoise(7).frame(0, CLEAN.length);

  /**
   * Every sampler with every model kind it accepts: the DDPM samplers with each prediction type and
   * timestep spacing on latent diffusion's betas, flow-matching Euler with shifts 1, 3 and 5.
   */
  static Stream<Arguments> samplersAndSchedules() {
    Stream<Named<SchedulerConfig>> diffusion =
        Arrays.stream(PredictionType.values())
            .filter(prediction -> prediction != PredictionType.FLOW_PREDICTION)
            .flatMap(
                prediction ->
                    Arrays.stream(TimestepSpacing.values())
                        .map(
                            spacing ->
                                Named.of(
                                    prediction + " " + spacing,
                                    LATENT_DIFFUSION
                                        .withPredictionType(prediction)
                                        .withTimestepSpacing(spacing))));
    Stream<Named<SchedulerConfig>> flow =
        Stream.of(1.0, 3.0, 5.0)
            .map(shift -> Named.of("FLOW shift " + shift, FLOW_MATCHING.withShift(shift)));
    List<Named<SchedulerConfig>> schedules = Stream.concat(diffusion, flow).toList();
    return Arrays.stream(SamplerAlgorithm.values())
        .flatMap(
            algorithm ->
                schedules.stream()
                    .filter(schedule -> algorithm.accepts(schedule.getPayload()))
                    .map(schedule -> Arguments.of(algorithm, schedule)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("samplersAndSchedules")
  void oracleModelLeadsPureNoiseToItsCleanSample(
      SamplerAlgorithm algorithm, SchedulerConfig config) {
    PredictionType prediction = config.predictionType();
    Sampler sampler = algorithm.create(config);
    for (int steps : new int[] {1, 2, 10, 25}) {
      SamplingPlan plan = sampler.plan(steps);

      float[] result = denoise(sampler, plan, plan.initialSample(NOISE), oracle(CLEAN, prediction));

      assertThat(result).as("%d steps", steps).containsExactly(CLEAN, within(1e-4f));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("samplersAndSchedules")
  void everyOracleStepLandsOnTheForwardNoisedSampleOfItsTargetLevel(
      SamplerAlgorithm algorithm, SchedulerConfig config) {
    PredictionType prediction = config.predictionType();
    Sampler sampler = algorithm.create(config);
    SamplingPlan plan = sampler.plan(12);
    SamplerState state = SamplerState.initial();
    for (int i = 0; i < plan.steps(); i++) {
      float[] sample = noised(plan.noiseLevel(i));
      float[] output = oracle(CLEAN, prediction).predict(plan, i, plan.scaleModelInput(i, sample));

      StepResult result = sampler.step(plan, i, sample, output, state);

      NoiseLevel target = plan.sampleSpace().noiseLevel(plan.alphaBarAfter(i));
      assertThat(result.sample()).as("step %d", i).containsExactly(noised(target), within(1e-4f));
      assertThat(result.denoised()).as("step %d", i).containsExactly(CLEAN, within(1e-4f));
      state = result.state();
    }
  }

  /**
   * A DDPM-trained model is shown √ᾱ·x0 + √(1−ᾱ)·ε at its timestep's ᾱ; a flow-matching model is
   * shown (1−σ)·x0 + σ·ε with σ = timestep / T, the level its timestep means in training.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("samplersAndSchedules")
  void modelIsShownTheSampleOfItsTrainingProcessAtItsLevel(
      SamplerAlgorithm algorithm, SchedulerConfig config) {
    SamplingPlan plan = algorithm.create(config).plan(10);
    boolean flow = config.predictionType() == PredictionType.FLOW_PREDICTION;
    for (int i = 0; i < plan.steps(); i++) {
      float[] shown = plan.scaleModelInput(i, noised(plan.noiseLevel(i)));

      double alphaBar = plan.alphaBar(i);
      double flowSigma = plan.timestep(i) / config.numTrainTimesteps();
      NoiseLevel trained =
          flow
              ? new NoiseLevel(1 - flowSigma, flowSigma)
              : new NoiseLevel(Math.sqrt(alphaBar), Math.sqrt(1 - alphaBar));
      assertThat(shown).as("step %d", i).containsExactly(noised(trained), within(1e-5f));
    }
  }

  /** DDPM timesteps are indices in [0, T); flow matching's are σ·T in (0, T], T at pure noise. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("samplersAndSchedules")
  void timestepsStrictlyDecreaseWithinTheTrainingRangeWhileNoiseFalls(
      SamplerAlgorithm algorithm, SchedulerConfig config) {
    Sampler sampler = algorithm.create(config);
    boolean flow = config.predictionType() == PredictionType.FLOW_PREDICTION;
    double maxTimestep = flow ? config.numTrainTimesteps() : config.numTrainTimesteps() - 1;
    for (int steps : new int[] {1, 2, 3, 7, 10, 25, 50, 61, 100, 250, 500}) {
      SamplingPlan plan = sampler.plan(steps);

      double[] timesteps = plan.timesteps();
      assertThat(timesteps).as("%d steps", steps).hasSize(steps);
      for (int i = 0; i < steps; i++) {
        assertThat(timesteps[i]).isBetween(0.0, maxTimestep);
        assertThat(plan.alphaBarAfter(i)).isGreaterThan(plan.alphaBar(i));
        if (i > 0) {
          assertThat(timesteps[i]).as("%d steps", steps).isLessThan(timesteps[i - 1]);
          assertThat(plan.alphaBar(i)).isGreaterThan(plan.alphaBar(i - 1));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void samplerHoldsNoStateBetweenRuns(SamplerAlgorithm algorithm) {
    Sampler sampler = algorithm.create(configFor(algorithm));
    SamplingPlan plan = sampler.plan(8);

    float[] first = denoise(sampler, plan, plan.initialSample(NOISE), toyModel());
    float[] second = denoise(sampler, plan, plan.initialSample(NOISE), toyModel());
    float[] withFreshPlan =
        denoise(sampler, sampler.plan(8), plan.initialSample(NOISE), toyModel());

    assertThat(second).containsExactly(first);
    assertThat(withFreshPlan).containsExactly(first);
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void interleavedRunsMatchRunsOneAfterAnother(SamplerAlgorithm algorithm) {
    Sampler sampler = algorithm.create(configFor(algorithm));
    SamplingPlan plan = sampler.plan(8);
    float[] otherNoise = new FrameNoise(8).frame(0, CLEAN.length);
    float[] alone = denoise(sampler, plan, plan.initialSample(NOISE), toyModel());
    float[] otherAlone = denoise(sampler, plan, plan.initialSample(otherNoise), toyModel());

    float[] a = plan.initialSample(NOISE);
    float[] b = plan.initialSample(otherNoise);
    SamplerState stateA = SamplerState.initial();
    SamplerState stateB = SamplerState.initial();
    for (int i = 0; i < plan.steps(); i++) {
      StepResult stepA = sampler.step(plan, i, a, predict(plan, i, a), stateA);
      StepResult stepB = sampler.step(plan, i, b, predict(plan, i, b), stateB);
      a = stepA.sample();
      stateA = stepA.state();
      b = stepB.sample();
      stateB = stepB.state();
    }

    assertThat(a).containsExactly(alone);
    assertThat(b).containsExactly(otherAlone);
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void stepLeavesItsArgumentsUntouched(SamplerAlgorithm algorithm) {
    Sampler sampler = algorithm.create(configFor(algorithm));
    SamplingPlan plan = sampler.plan(5);
    float[] sample = plan.initialSample(NOISE);
    SamplerState state = SamplerState.initial();
    for (int i = 0; i < plan.steps(); i++) {
      float[] sampleBefore = sample.clone();
      float[] output = predict(plan, i, sample);
      float[] outputBefore = output.clone();

      StepResult result = sampler.step(plan, i, sample, output, state);
      StepResult repeated = sampler.step(plan, i, sample, output, state);

      assertThat(sample).containsExactly(sampleBefore);
      assertThat(output).containsExactly(outputBefore);
      assertThat(repeated.sample()).containsExactly(result.sample());
      assertThat(result.sample()).isNotSameAs(sample);
      sample = result.sample();
      state = result.state();
    }
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void stateMeantForAnotherStepIsRejected(SamplerAlgorithm algorithm) {
    Sampler sampler = algorithm.create(configFor(algorithm));
    SamplingPlan plan = sampler.plan(5);
    float[] sample = plan.initialSample(NOISE);

    assertThatThrownBy(
            () -> sampler.step(plan, 1, sample, predict(plan, 1, sample), SamplerState.initial()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("state is for step 0");
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void planOfAnotherSamplerIsRejected(SamplerAlgorithm algorithm) {
    Sampler sampler = algorithm.create(configFor(algorithm));
    SamplingPlan foreignPlan = algorithm.create(configFor(algorithm)).plan(5);

    assertThatThrownBy(
            () -> sampler.step(foreignPlan, 0, new float[4], new float[4], SamplerState.initial()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another sampler");
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void modelOutputOfTheWrongSizeIsRejected(SamplerAlgorithm algorithm) {
    Sampler sampler = algorithm.create(configFor(algorithm));
    SamplingPlan plan = sampler.plan(5);

    assertThatThrownBy(
            () -> sampler.step(plan, 0, new float[4], new float[3], SamplerState.initial()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static float[] predict(SamplingPlan plan, int stepIndex, float[] sample) {
    return toyModel().predict(plan, stepIndex, plan.scaleModelInput(stepIndex, sample));
  }

  private static float[] noised(NoiseLevel level) {
    float[] noised = new float[CLEAN.length];
    for (int i = 0; i < CLEAN.length; i++) {
      noised[i] = (float) level.apply(CLEAN[i], NOISE[i]);
    }
    return noised;
  }
}
