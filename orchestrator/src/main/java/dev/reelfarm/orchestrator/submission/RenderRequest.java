package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.presets.Preset;

/**
 * A validated render request; absent optional fields are already defaults, except {@code mode}
 * (null: the planner decides).
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
    RenderMode mode) {}
