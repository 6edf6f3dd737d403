package dev.reelfarm.worker.diffusion;

import static dev.reelfarm.worker.diffusion.SamplerFixtures.toyModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FlowMatchEulerSampler} against models/training/flow_match.py, a torch float32
 * transcription of diffusers' FlowMatchEulerDiscreteScheduler (static shift) that wrote {@code
 * flow_match_euler_reference.json}: for shifts 1, 3, 5 and 1, 2, 6, 25 steps of {@link
 * SamplerFixtures#toyModel}, every step's timestep, x0 estimate and sample. Tolerance 1e-4 absolute
 * per step (the reference rounds σ and every step to float32; the sampler keeps σ in double).
 */
class FlowMatchEulerSamplerGoldenTest {

  private static final double TOLERANCE = 1e-4;

  static Stream<Arguments> cases() throws IOException {
    JsonNode doc = reference();
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : doc.get("cases")) {
      cases.add(Arguments.of(c.get("shift").asDouble(), c.get("steps").asInt(), c));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "shift {0}, {1} steps")
  @MethodSource("cases")
  void everyStepMatchesTheDiffusersReference(double shift, int steps, JsonNode reference)
      throws IOException {
    assertThat(maxStepDifference(shift, steps, reference)).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void largestDifferenceOverEveryCaseAndStepIsReported() throws IOException {
    double max = 0;
    int compared = 0;
    for (JsonNode c : reference().get("cases")) {
      max = Math.max(max, maxStepDifference(c.get("shift").asDouble(), c.get("steps").asInt(), c));
      compared += c.get("steps").asInt();
    }
    System.out.printf(
        "flow-match Euler vs diffusers reference: max |diff| %.3g over %d steps%n", max, compared);
    assertThat(max).isLessThanOrEqualTo(TOLERANCE);
  }

  /** Runs the sampler like the reference and returns its largest deviation at any step. */
  private static double maxStepDifference(double shift, int steps, JsonNode reference)
      throws IOException {
    JsonNode doc = reference();
    SchedulerConfig config =
        SchedulerConfig.flowMatching(doc.get("numTrainTimesteps").asInt(), shift);
    Sampler sampler = new FlowMatchEulerSampler(config);
    SamplingPlan plan = sampler.plan(steps);
    float[] sample = plan.initialSample(floats(doc.get("initialSample")));
    SamplerState state = SamplerState.initial();
    double max = 0;
    for (int i = 0; i < steps; i++) {
      double timestep = reference.get("timesteps").get(i).asDouble();
      // The model is given σ·T; the reference's is float32, so it agrees to float32 rounding.
      assertThat(plan.timestep(i)).as("timestep %d", i).isCloseTo(timestep, within(1e-3));
      float[] output = toyModel().predict(plan, i, plan.scaleModelInput(i, sample));
      StepResult result = sampler.step(plan, i, sample, output, state);
      max = Math.max(max, maxAbsDiff(result.sample(), floats(reference.get("samples").get(i))));
      max = Math.max(max, maxAbsDiff(result.denoised(), floats(reference.get("denoised").get(i))));
      sample = result.sample();
      state = result.state();
    }
    return max;
  }

  private static JsonNode reference() throws IOException {
    try (InputStream in =
        FlowMatchEulerSamplerGoldenTest.class.getResourceAsStream(
            "/flow_match_euler_reference.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) values[i] = (float) array.get(i).asDouble();
    return values;
  }

  private static double maxAbsDiff(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double max = 0;
    for (int i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
    return max;
  }
}
