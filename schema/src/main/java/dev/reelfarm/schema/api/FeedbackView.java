package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One API key's feedback on one render. */
@Schema(description = "One API key's rating of one render.")
public record FeedbackView(
    @Schema(required = true) UUID id,
    @Schema(required = true) UUID renderId,
    @Schema(required = true, minimum = "1", maximum = "5") int rating,
    @Schema(required = true) List<String> tags,
    @Schema(required = true, description = "Empty when none was given") String comment,
    @Schema(nullable = true, description = "The API key that gave it (null when auth is off)")
        UUID keyId,
    @Schema(required = true) Instant createdAt,
    @Schema(required = true, description = "When it was last replaced (createdAt if never)")
        Instant updatedAt) {}
