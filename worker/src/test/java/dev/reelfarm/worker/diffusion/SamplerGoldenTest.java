package dev.reelfarm.worker.diffusion;

import static dev.reelfarm.worker.diffusion.SamplerFixtures.LATENT_DIFFUSION;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.denoise;
import static dev.reelfarm.worker.diffusion.SamplerFixtures.toyModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Six steps of {@link SamplerFixtures#toyModel} from x = init_noise_sigma·[0.3, −1.2, 0.8, 2.0] on
 * {@link SamplerFixtures#LATENT_DIFFUSION}, against a float64 numpy transcription of diffusers'
 * DDIMScheduler, EulerDiscreteScheduler and DPMSolverMultistepScheduler (dpmsolver++, order 2,
 * lower_order_final) set_timesteps/scale_model_input/step, including their spacing quirks. Six
 * steps put DPM-Solver++ through first-, second- and final first-order updates. Tolerance: 1e-5
 * relative, the float32 rounding of six steps.
 */
class SamplerGoldenTest {

  /** algorithm, prediction, spacing, the four elements after six steps. */
  private static final String GOLDEN =
"""
DDIM, EPSILON, LEADING, -0.7483387, -7.869251, 1.042299, 11.62274
DDIM, EPSILON, TRAILING, -1.450813, -21.6416, 7.360318, 28.51398
DDIM, EPSILON, LINSPACE, -1.053542, -14.89025, 5.345058, 19.7229
DDIM, V_PREDICTION, LEADING, -0.1874346, -0.8488786, -0.1138495, 0.897905
DDIM, V_PREDICTION, TRAILING, -0.2130012, -0.8731014, -0.1378555, 0.9244418
DDIM, V_PREDICTION, LINSPACE, -0.1619906, -0.9777569, 0.003539673, 1.208837
DDIM, SAMPLE, LEADING, 0.2893993, 0.1051825, 0.6333671, 0.7874935
DDIM, SAMPLE, TRAILING, 0.5035815, 0.05773457, 0.7995469, 0.9319191
DDIM, SAMPLE, LINSPACE, 0.3135858, -0.01877596, 0.6642308, 0.8393881
EULER, EPSILON, LEADING, -0.7483387, -7.869251, 1.042299, 11.62274
EULER, EPSILON, TRAILING, -1.454218, -21.81912, 7.355019, 28.70546
EULER, EPSILON, LINSPACE, -1.461183, -21.72612, 7.284448, 27.71505
EULER, V_PREDICTION, LEADING, -0.1874346, -0.8488786, -0.1138495, 0.897905
EULER, V_PREDICTION, TRAILING, -0.2139968, -0.8495441, -0.1521978, 0.8739716
EULER, V_PREDICTION, LINSPACE, -0.2259886, -0.8394375, -0.1675823, 0.8525592
EULER, SAMPLE, LEADING, 0.2893993, 0.1051825, 0.6333671, 0.7874935
EULER, SAMPLE, TRAILING, 0.4916111, 0.08983102, 0.780963, 0.8967321
EULER, SAMPLE, LINSPACE, 0.3003902, 0.1440173, 0.6336379, 0.7783945
DPM_SOLVER_PLUS_PLUS_2M, EPSILON, LEADING, -0.6854647, -8.165303, 1.241387, 12.8378
DPM_SOLVER_PLUS_PLUS_2M, EPSILON, TRAILING, -1.26878, -21.09422, 7.610967, 27.81731
DPM_SOLVER_PLUS_PLUS_2M, EPSILON, LINSPACE, -1.266796, -21.06619, 7.609881, 27.78419
DPM_SOLVER_PLUS_PLUS_2M, V_PREDICTION, LEADING, -0.1547925, -0.8824332, -0.07939117, 0.9840603
DPM_SOLVER_PLUS_PLUS_2M, V_PREDICTION, TRAILING, -0.1892789, -0.8777211, -0.1274838, 0.9629784
DPM_SOLVER_PLUS_PLUS_2M, V_PREDICTION, LINSPACE, -0.1892143, -0.8777485, -0.127471, 0.9631084
DPM_SOLVER_PLUS_PLUS_2M, SAMPLE, LEADING, 0.4648558, 0.02610799, 0.7739815, 0.8958266
DPM_SOLVER_PLUS_PLUS_2M, SAMPLE, TRAILING, 0.491885, 0.05856772, 0.7848103, 0.8890036
DPM_SOLVER_PLUS_PLUS_2M, SAMPLE, LINSPACE, 0.4919096, 0.05853192, 0.7848201, 0.8889865
""";

  static Stream<Arguments> golden() {
    return GOLDEN
        .lines()
        .map(line -> line.split(",\\s*"))
        .map(
            f ->
                Arguments.of(
                    SamplerAlgorithm.valueOf(f[0]),
                    PredictionType.valueOf(f[1]),
                    TimestepSpacing.valueOf(f[2]),
                    Float.parseFloat(f[3]),
                    Float.parseFloat(f[4]),
                    Float.parseFloat(f[5]),
                    Float.parseFloat(f[6])));
  }

  @Test
  void everyRegisteredSamplerHasAReferenceForEveryPredictionAndSpacing() {
    Set<List<Object>> covered =
        golden().map(a -> List.of(a.get()[0], a.get()[1], a.get()[2])).collect(Collectors.toSet());
    for (SamplerAlgorithm algorithm : SamplerAlgorithm.values()) {
      if (!algorithm.accepts(LATENT_DIFFUSION)) continue;
      for (PredictionType prediction : PredictionType.values()) {
        // Flow matching has no betas; its reference is FlowMatchEulerSamplerGoldenTest's.
        if (prediction == PredictionType.FLOW_PREDICTION) continue;
        for (TimestepSpacing spacing : TimestepSpacing.values()) {
          assertThat(covered)
              .as("golden values of %s %s %s", algorithm, prediction, spacing)
              .contains(List.of(algorithm, prediction, spacing));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("golden")
  void sixToyModelStepsMatchTheDiffusersReference(
      SamplerAlgorithm algorithm,
      PredictionType prediction,
      TimestepSpacing spacing,
      float first,
      float second,
      float third,
      float fourth) {
    SchedulerConfig config =
        LATENT_DIFFUSION.withPredictionType(prediction).withTimestepSpacing(spacing);
    Sampler sampler = algorithm.create(config);
    SamplingPlan plan = sampler.plan(6);

    float[] result =
        denoise(
            sampler, plan, plan.initialSample(new float[] {0.3f, -1.2f, 0.8f, 2.0f}), toyModel());

    float[] expected = {first, second, third, fourth};
    for (int i = 0; i < expected.length; i++) {
      float tolerance = 1e-5f * Math.max(1f, Math.abs(expected[i]));
      assertThat(result[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }
}
