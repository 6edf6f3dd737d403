package dev.reelfarm.schema.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /api/v1/renders/{id}}: the open job's new priority. */
@Schema(description = "A queued or running render's new priority.")
public record PriorityChange(
    @Schema(
            description =
                "-100..100, higher first (as at submission); the next placement honours it",
            examples = "50",
            required = true)
        Integer priority) {}
