package dev.reelfarm.eval;

import dev.reelfarm.eval.ClipScore.Attribute;

/**
 * The outcome of one eval prompt: its render job and, when the clip was rendered and decoded, its
 * score.
 *
 * @param jobId the farm's job id, or null when the job was never accepted
 * @param seedBase the first seed of this result's repeat of the prompt set
 * @param status the job's final status ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}), or
 *     the eval's reason for having no clip: {@code TIMEOUT}, {@code FARM_DIED}, {@code API_LOST},
 *     {@code DOWNLOAD_FAILED}, {@code UNDECODABLE}, {@code INTERRUPTED}
 * @param score the clip's score; null unless the clip was downloaded and decoded
 * @param error why there is no score, or null
 * @param video the downloaded MP4, relative to the output directory, or null
 */
public record EvalResult(
    int index,
    EvalPrompt prompt,
    String jobId,
    Long seed,
    long seedBase,
    String status,
    ClipScore score,
    String error,
    String video) {

  /** Shown in place of an attribute when there is no score. */
  public static final String NOT_SCORED = "(no clip)";

  public boolean scored() {
    return score != null;
  }

  public String got(Attribute attribute) {
    return score == null ? NOT_SCORED : score.get(attribute);
  }

  public boolean correct(Attribute attribute) {
    return score != null && score.get(attribute).equals(prompt.expected(attribute));
  }

  public boolean allCorrect() {
    for (Attribute a : Attribute.values()) if (!correct(a)) return false;
    return true;
  }
}
