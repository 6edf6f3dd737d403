package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reelfarm.schema.presets.Interpolation;

/**
 * The body of {@code POST /api/v1/renders} as a client sends it. Every field but {@code prompt} is
 * optional (null: the server's default), and only set fields are sent. The orchestrator validates
 * the raw JSON field by field, so its 400s name the field at fault.
 *
 * @param seed a decimal string is accepted too; a number here
 * @param mode null lets the planner choose (anchored for long clips)
 * @param interpolation how the encoder reaches the preset's frame rate; null: the preset's choice
 * @param webhook an http(s) URL called (signed with the farm's secret) when the job finishes
 * @param review {@code keyframes}: wait for approval of the anchor pass's keyframes before the
 *     infills render (needs an anchored plan); null: no review
 * @param model the name of one of the farm's models ({@code GET /api/v1/models}); null: the farm's
 *     default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RenderSubmission(
    String prompt,
    String negativePrompt,
    Double durationSeconds,
    String preset,
    Long seed,
    Integer steps,
    Double guidanceScale,
    Integer priority,
    RenderMode mode,
    Interpolation interpolation,
    String webhook,
    ReviewMode review,
    String model) {

  /** A submission without a review, for the farm's default model. */
  public RenderSubmission(
      String prompt,
      String negativePrompt,
      Double durationSeconds,
      String preset,
      Long seed,
      Integer steps,
      Double guidanceScale,
      Integer priority,
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

  /** A submission without a webhook that leaves the frame rate conversion to the preset. */
  public RenderSubmission(
      String prompt,
      String negativePrompt,
      Double durationSeconds,
      String preset,
      Long seed,
      Integer steps,
      Double guidanceScale,
      Integer priority,
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

  /** A submission of {@code prompt} with every other field left to the server. */
  public static RenderSubmission of(String prompt) {
    return new RenderSubmission(
        prompt, null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
