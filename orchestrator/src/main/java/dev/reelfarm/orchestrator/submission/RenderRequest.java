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

  /** A builder of a request of {@code prompt}: no negative prompt, priority 0, the rest unset. */
  public static Builder builder(String prompt) {
    return new Builder().prompt(prompt);
  }

  /** A builder that starts from this request (a batch's variants, a retry for another model). */
  public Builder toBuilder() {
    return new Builder()
        .prompt(prompt)
        .negativePrompt(negativePrompt)
        .durationSeconds(durationSeconds)
        .preset(preset)
        .seed(seed)
        .steps(steps)
        .guidanceScale(guidanceScale)
        .priority(priority)
        .mode(mode)
        .interpolation(interpolation)
        .webhook(webhook)
        .review(review)
        .model(model);
  }

  /** Builds a request field by field; what it is given was validated by the caller. */
  public static final class Builder {
    private String prompt;
    private String negativePrompt = "";
    private double durationSeconds;
    private Preset preset;
    private long seed;
    private int steps;
    private double guidanceScale;
    private int priority;
    private RenderMode mode;
    private Interpolation interpolation;
    private String webhook;
    private ReviewMode review;
    private BundleFacts model;

    private Builder() {}

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder negativePrompt(String negativePrompt) {
      this.negativePrompt = negativePrompt;
      return this;
    }

    public Builder durationSeconds(double durationSeconds) {
      this.durationSeconds = durationSeconds;
      return this;
    }

    public Builder preset(Preset preset) {
      this.preset = preset;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    public Builder guidanceScale(double guidanceScale) {
      this.guidanceScale = guidanceScale;
      return this;
    }

    public Builder priority(int priority) {
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

    public Builder model(BundleFacts model) {
      this.model = model;
      return this;
    }

    public RenderRequest build() {
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
          model);
    }
  }
}
