package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of the audit log: who ({@code actorKeyId}, its team) did what to what, and when. */
@Schema(description = "Who did what to what, and when.")
public record AuditEntry(
    @Schema(required = true) long id,
    @Schema(required = true) Instant at,
    @Schema(nullable = true, description = "The acting key; null when auth is off") UUID actorKeyId,
    @Schema(nullable = true) UUID actorTeamId,
    @Schema(
            required = true,
            examples = "render.submit",
            description =
                "render.submit, render.cancel, team.create, team.update, key.create, key.revoke,"
                    + " prompt.refused (target: the rule), policy.replace (target: the team)")
        String action,
    @Schema(required = true, examples = "render") String targetType,
    @Schema(required = true) String targetId,
    @Schema(required = true, type = SchemaType.OBJECT) Map<String, Object> detail) {}
