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

  /** A builder of a submission of {@code prompt} with every other field left to the server. */
  public static Builder builder(String prompt) {
    return new Builder().prompt(prompt);
  }

  /** Builds a submission field by field; a field never set is not sent. */
  public static final class Builder {
    private String prompt;
    private String negativePrompt;
    private Double durationSeconds;
    private String preset;
    private Long seed;
    private Integer steps;
    private Double guidanceScale;
    private Integer priority;
    private RenderMode mode;
    private Interpolation interpolation;
    private String webhook;
    private ReviewMode review;
    private String model;

    private Builder() {}

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder negativePrompt(String negativePrompt) {
      this.negativePrompt = negativePrompt;
      return this;
    }

    public Builder durationSeconds(Double durationSeconds) {
      this.durationSeconds = durationSeconds;
      return this;
    }

    public Builder preset(String preset) {
      this.preset = preset;
      return this;
    }

    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public Builder steps(Integer steps) {
      this.steps = steps;
      return this;
    }

    public Builder guidanceScale(Double guidanceScale) {
      this.guidanceScale = guidanceScale;
      return this;
    }

    public Builder priority(Integer priority) {
      this.priority = priority;
      return this;
    }

    public Builder mode(RenderMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder interpolation(Interpolation interpolation) {
      this.interpolation = interpolation;
      return this;
    }

    public Builder webhook(String webhook) {
      this.webhook = webhook;
      return this;
    }

    public Builder review(ReviewMode review) {
      this.review = review;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public RenderSubmission build() {
      return new RenderSubmission(
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
          model);
    }
  }
}
