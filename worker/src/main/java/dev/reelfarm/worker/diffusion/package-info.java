/**
 * Diffusion math for the worker, in plain Java: noise schedules, samplers, guidance, per-frame
 * noise and temporal conditioning. Tensors are {@code float[]} in the bundle's layout (see {@link
 * dev.reelfarm.worker.diffusion.LatentShape}); schedule arithmetic is double. Nothing here knows
 * about ONNX Runtime, Kafka or the database; the denoise loop that calls the model lives in the
 * runtime package.
 *
 * <p>A chunk's denoise, with guidance and either conditioning kind:
 *
 * <pre>{@code
 * Sampler sampler = new DpmSolverPlusPlus2MSampler(config);   // or DdimSampler, EulerSampler
 * SamplingPlan plan = sampler.plan(steps);
 * float[] noise = new FrameNoise(jobSeed).window(shape, firstGlobalFrame);
 * ContextFrames context = ContextFrames.of(shape, knownFrameLatents);
 * ReplacementConditioning replacement = new ReplacementConditioning(context, noise);
 * ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(scale);
 *
 * float[] sample = plan.initialSample(noise);
 * SamplerState state = SamplerState.initial();
 * for (int i = 0; i < plan.steps(); i++) {
 *   if (replacementKind) sample = replacement.replaceKnownFrames(plan, i, sample);
 *   float[] input = plan.scaleModelInput(i, sample);
 *   // native kind: also pass context.modelInput() and context.mask().modelInput()
 *   float[] output = denoise(input, plan.timestep(i), promptEmbeddings);
 *   if (guidance.needsUnconditionalPass()) {
 *     output = guidance.guide(denoise(input, plan.timestep(i), negativeEmbeddings), output);
 *   }
 *   StepResult result = sampler.step(plan, i, sample, output, state);
 *   sample = result.sample();
 *   state = result.state();
 * }
 * sample = context.restoreKnownFrames(sample);
 * }</pre>
 */
package dev.reelfarm.worker.diffusion;
