package dev.reelfarm.eval;

import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderSubmission;
import java.nio.file.Path;

/**
 * What one eval run renders and where it writes; every field but the prompts file has its default
 * in the CLI.
 *
 * @param prompts the eval prompt TSV; null: {@link #DEFAULT_PROMPTS} in the checkout
 * @param palette the shapes world's palette.json; null: next to the prompts file
 * @param steps null: the model's
 * @param guidance null: the model's
 * @param seed the first prompt's seed; prompt i gets seed + i
 * @param limit null: every prompt
 */
public record EvalSettings(
    Path prompts,
    Path palette,
    double seconds,
    Integer steps,
    Double guidance,
    RenderMode mode,
    String preset,
    long seed,
    Integer limit,
    Path out,
    int timeoutSeconds) {

  public static final String DEFAULT_PROMPTS = "models/training/prompts_eval.txt";

  /**
   * @throws EvalSetupException for a value no farm would accept
   */
  public EvalSettings {
    if (limit != null && limit < 1) throw new EvalSetupException("--limit must be at least 1");
    if (timeoutSeconds < 1) throw new EvalSetupException("--timeout must be positive");
    if (!(seconds > 0)) throw new EvalSetupException("--seconds must be positive");
  }

  /** Every field of the render requests but the prompt and the seed. */
  RenderSubmission template() {
    return submission(null, null);
  }

  /** The render request of prompt {@code i}, seeded {@code seed + i}. */
  RenderSubmission submission(String prompt, int i) {
    return submission(prompt, seed + i);
  }

  private RenderSubmission submission(String prompt, Long seed) {
    return RenderSubmission.builder(prompt)
        .durationSeconds(seconds)
        .preset(preset)
        .seed(seed)
        .steps(steps)
        .guidanceScale(guidance)
        .mode(mode)
        .build();
  }
}
