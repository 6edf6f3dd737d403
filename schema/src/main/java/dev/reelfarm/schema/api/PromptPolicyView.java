package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The prompt policy a team's prompts are checked against: the farm's rules, then its own. */
@Schema(description = "A team's prompt policy: the farm's rules, then the team's own.")
public record PromptPolicyView(
    @Schema(required = true) UUID teamId,
    @Schema(required = true, examples = "marketing") String team,
    @Schema(
            required = true,
            description = "false: reelfarm.policy.enabled is off, nothing is refused")
        boolean enabled,
    @Schema(required = true, description = "Every team's rules (the policy file's `rules`)")
        List<PromptPolicyRule> farmRules,
    @Schema(required = true) List<PromptPolicyRule> teamRules,
    @Schema(
            required = true,
            description =
                "Where teamRules come from: `api` (set by PUT), `file` (the policy file's `teams`"
                    + " entry) or `none`",
            examples = "api")
        String teamRulesSource,
    @Schema(nullable = true, description = "When the team's rules were last set by PUT")
        Instant updatedAt) {}
