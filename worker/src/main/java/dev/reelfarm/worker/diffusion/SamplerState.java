package dev.reelfarm.worker.diffusion;

/**
 * What a run carries from one step to the next: which step comes next and, for multistep solvers,
 * the previous step's x0 prediction. Immutable; each {@link Sampler#step} returns a fresh one, so
 * samplers themselves hold no run state and runs can interleave freely.
 */
public final class SamplerState {

  private static final SamplerState INITIAL = new SamplerState(0, null);

  private final int stepIndex;
  private final float[] previousDenoised;

  private SamplerState(int stepIndex, float[] previousDenoised) {
    this.stepIndex = stepIndex;
    this.previousDenoised = previousDenoised;
  }

  /** The state before the first step of a run. */
  public static SamplerState initial() {
    return INITIAL;
  }

  /** The step this state may be passed to. */
  public int stepIndex() {
    return stepIndex;
  }

  SamplerState next() {
    return new SamplerState(stepIndex + 1, null);
  }

  /** Keeps a private copy: callers own the arrays returned in a {@link StepResult}. */
  SamplerState next(float[] denoised) {
    return new SamplerState(stepIndex + 1, denoised.clone());
  }

  /** The x0 prediction of step {@code stepIndex − 1}, or null when that step kept none. */
  float[] previousDenoised() {
    return previousDenoised;
  }

  void requireStep(int expectedStepIndex) {
    if (stepIndex != expectedStepIndex) {
      throw new IllegalArgumentException(
          "state is for step " + stepIndex + " but step " + expectedStepIndex + " was requested");
    }
  }
}
