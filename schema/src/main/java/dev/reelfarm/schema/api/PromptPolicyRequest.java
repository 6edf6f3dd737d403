package dev.reelfarm.schema.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PUT /api/v1/teams/{team}/prompt-policy}: the team's rules, all of them. */
@Schema(description = "A team's own prompt rules (checked after the farm's); [] removes them all.")
public record PromptPolicyRequest(@Schema(required = true) List<PromptPolicyRule> rules) {}
