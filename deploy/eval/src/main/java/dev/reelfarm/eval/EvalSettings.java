package dev.reelfarm.eval;

import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderSubmission;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What one eval run renders and where it writes; every field but the prompts file has its default
 * in the CLI.
 *
 * @param prompts the eval prompt TSV; null: {@link #DEFAULT_PROMPTS} in the checkout
 * @param palette the shapes world's palette.json; null: next to the prompts file
 * @param steps null: the model's
 * @param guidance null: the model's
 * @param seed the first prompt's seed; prompt i gets seed + i
 * @param repeats how many times every prompt is rendered, each time from another seed base (see
 *     {@link #seedBase})
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
    int repeats,
    Integer limit,
    Path out,
    int timeoutSeconds) {

  public static final String DEFAULT_PROMPTS = "models/training/prompts_eval.txt";

  /**
   * @throws EvalSetupException for a value no farm would accept
   */
  public EvalSettings {
    if (limit != null && limit < 1) throw new EvalSetupException("--limit must be at least 1");
    if (repeats < 1) throw new EvalSetupException("--repeats must be at least 1");
    if (timeoutSeconds < 1) throw new EvalSetupException("--timeout must be positive");
    if (!(seconds > 0)) throw new EvalSetupException("--seconds must be positive");
  }

  /** Every field of the render requests but the prompt and the seed. */
  RenderSubmission template() {
    return submission(null, null);
  }

  /**
   * The first seed of repeat {@code repeat} of a set of {@code prompts} prompts: {@code seed}, then
   * the next whole hundred above the prompt count further each time (1, 101, 201 for up to 100
   * prompts), so no two clips share a seed and a repeat's seeds read as its base plus the prompt.
   */
  long seedBase(int repeat, int prompts) {
    long stride = 100L * Math.max(1, (prompts + 99) / 100);
    return seed + repeat * stride;
  }

  /** Every repeat's seed base, in run order. */
  List<Long> seedBases(int prompts) {
    return IntStream.range(0, repeats).mapToObj(r -> seedBase(r, prompts)).toList();
  }

  /** The render request of a prompt with its seed. */
  RenderSubmission submission(String prompt, Long seed) {
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
