package dev.reelfarm.worker.diffusion;

/**
 * The outcome of one {@link Sampler#step}.
 *
 * @param sample the sample at the step's target noise level; input to the next step
 * @param denoised the step's x0 prediction (diffusers' pred_original_sample), e.g. for previews
 * @param state what the next step needs; pass it to step {@code stepIndex + 1}
 */
public record StepResult(float[] sample, float[] denoised, SamplerState state) {}
