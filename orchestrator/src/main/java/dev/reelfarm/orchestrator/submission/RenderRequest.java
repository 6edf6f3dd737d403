package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.presets.Preset;

/**
 * A validated render request; absent optional fields are already defaults, except {@code mode}
 * (null: the planner decides) and {@code webhook} (null: none; its address is checked by the
 * caller, which can resolve it).
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
    String webhook) {

  /** A request without a webhook. */
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
        null);
  }
}
