package dev.reelfarm.worker.diffusion;

/**
 * One sampling algorithm: it owns the math, the caller owns the loop and the model. Implementations
 * are immutable and hold no run state; everything one run carries lives in {@link SamplingPlan}
 * (shared, read-only) and {@link SamplerState} (per run, returned by each step).
 *
 * <p>One run: {@code plan = plan(steps)}, {@code sample = plan.initialSample(noise)}, {@code state
 * = SamplerState.initial()}; then for each step i: {@code output = model(plan.scaleModelInput(i,
 * sample), plan.timestep(i))}, {@code result = step(plan, i, sample, output, state)}, {@code sample
 * = result.sample()}, {@code state = result.state()}.
 */
public interface Sampler {

  /**
   * The schedule for a run of {@code steps} model evaluations.
   *
   * @throws IllegalArgumentException when the training schedule cannot be spaced that way
   */
  SamplingPlan plan(int steps);

  /**
   * Moves {@code sample} from step {@code stepIndex}'s noise level to the next one. Reads its
   * arguments without changing them and returns new arrays.
   *
   * @param modelOutput the model's (guided) output for {@code plan.scaleModelInput(stepIndex,
   *     sample)}
   * @param state the state returned by the previous step, or {@link SamplerState#initial()}
   */
  StepResult step(
      SamplingPlan plan, int stepIndex, float[] sample, float[] modelOutput, SamplerState state);
}
