package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.ReviewMode;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;

/**
 * A validated render request; absent optional fields are already defaults, except {@code mode}
 * (null: the planner decides), {@code interpolation} (null: the preset's), {@code webhook} (null:
 * none; its address is checked by the caller, which can resolve it), {@code review} (null: none;
 * whether the plan has keyframes to review is checked when it is planned) and {@code model} (null:
 * the farm's default).
 */
public record RenderRequest(
    String prompt,
    String negativePrompt,
    double durationSeconds,
    Preset preset,
    long seed,
    int steps,
    double guidanceScale,
    int priority,
    RenderMode mode,
    Interpolation interpolation,
    String webhook,
    ReviewMode review,
    BundleFacts model) {

  /** A request without a review, for the farm's default model. */
  public RenderRequest(
      String prompt,
      String negativePrompt,
      double durationSeconds,
      Preset preset,
      long seed,
      int steps,
      double guidanceScale,
      int priority,
      RenderMode mode,
      Interpolation interpolation,
      String webhook) {
    this(
        prompt,
        negativePrompt,
        durationSeconds,
        preset,
        seed,
        steps,
        guidanceScale,
        priority,
        mode,
        interpolation,
        webhook,
        null,
        null);
  }

  /** A request without a webhook that leaves the frame rate conversion to the preset. */
  public RenderRequest(
      String prompt,
      String negativePrompt,
      double durationSeconds,
      Preset preset,
      long seed,
      int steps,
      double guidanceScale,
      int priority,
      RenderMode mode) {
    this(
        prompt,
        negativePrompt,
        durationSeconds,
        preset,
        seed,
        steps,
        guidanceScale,
        priority,
        mode,
        null,
        null);
  }

  /** This request with another seed (a batch's variants). */
  public RenderRequest withSeed(long newSeed) {
    return new RenderRequest(
        prompt,
        negativePrompt,
        durationSeconds,
        preset,
        newSeed,
        steps,
        guidanceScale,
        priority,
        mode,
        interpolation,
        webhook,
        review,
        model);
  }

  /** This request for another model. */
  public RenderRequest withModel(BundleFacts newModel) {
    return new RenderRequest(
        prompt,
        negativePrompt,
        durationSeconds,
        preset,
        seed,
        steps,
        guidanceScale,
        priority,
        mode,
        interpolation,
        webhook,
        review,
        newModel);
  }
}
