package dev.reelfarm.orchestrator.submission;

/**
 * A prompt the prompt policy refuses: names the field that carried it and the rule that refused it.
 * Mapped to HTTP 422 ({@code error: prompt_refused}).
 */
public final class PromptRefusedException extends RuntimeException {
  private final String field;
  private final String rule;

  public PromptRefusedException(String field, String rule, String message) {
    super(message);
    this.field = field;
    this.rule = rule;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }
}
