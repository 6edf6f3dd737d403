package dev.reelfarm.orchestrator.policy;

import java.util.List;

/**
 * One rule of a prompt policy: a prompt containing one of {@code terms} as whole words, or matching
 * one of {@code patterns} (Java regular expressions over the normalised prompt), is refused with
 * {@code message}. See {@link PromptMatcher} for the normalisation.
 */
public record PromptRule(String id, List<String> terms, List<String> patterns, String message) {
  public PromptRule {
    terms = List.copyOf(terms);
    patterns = List.copyOf(patterns);
  }
}
