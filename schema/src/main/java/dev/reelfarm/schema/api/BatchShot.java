package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.reelfarm.schema.presets.Interpolation;

/**
 * One shot of {@code POST /api/v1/batches}, or the batch's {@code defaults}: the fields of a render
 * request (without {@code webhook}: the batch has one). A shot's fields override the defaults';
 * after merging, each shot must be a valid render request ({@code prompt} is required).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchShot(
    String prompt,
    String negativePrompt,
    Double durationSeconds,
    String preset,
    Long seed,
    Integer steps,
    Double guidanceScale,
    Integer priority,
    RenderMode mode,
    Interpolation interpolation) {

  /** A shot of {@code prompt} lasting {@code seconds}, everything else from the defaults. */
  public static BatchShot of(String prompt, double seconds) {
    return new BatchShot(prompt, null, seconds, null, null, null, null, null, null, null);
  }
}
