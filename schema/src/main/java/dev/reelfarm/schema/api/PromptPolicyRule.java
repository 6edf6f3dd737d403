package dev.reelfarm.schema.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One rule of a prompt policy: a prompt that contains one of {@code terms} (as whole words, after
 * normalisation) or matches one of {@code patterns} is refused with {@code message}.
 */
@Schema(description = "A prompt policy rule: terms (whole words) and regex patterns.")
public record PromptPolicyRule(
    @Schema(
            required = true,
            description = "1-64 characters of a-z, 0-9, '.', '-', '_'",
            examples = "sexual-minors")
        String id,
    @Schema(description = "Words or phrases, matched case-insensitively as whole words")
        List<String> terms,
    @Schema(description = "Java regular expressions, matched against the normalised prompt")
        List<String> patterns,
    @Schema(required = true, description = "What the refused client is told") String message) {}
