package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.ReviewMode;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;

/**
 * A validated render request; absent optional fields are already defaults, except {@code mode}
 * (null: the planner decides), {@code interpolation} (null: the preset's), {@code webhook} (null:
 * none; its address is checked by the caller, which can resolve it) and {@code review} (null: none;
 * whether the plan has keyframes to review is checked when it is planned).
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
    ReviewMode review) {

  /** A request without a review. */
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
}
