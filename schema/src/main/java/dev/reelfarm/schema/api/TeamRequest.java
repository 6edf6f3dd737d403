package dev.reelfarm.schema.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /api/v1/teams} (every field; absent quotas are unlimited) and {@code PATCH
 * /api/v1/teams/{team}}, a JSON merge patch: the fields given change, a quota given as null becomes
 * unlimited, {@code name} cannot change.
 */
@Schema(
    description =
        "A team to create, or (PATCH, a JSON merge patch) the fields of one to change: a quota"
            + " set to null there becomes unlimited.")
public record TeamRequest(
    @Schema(
            description = "1-63 characters: lower-case letters, digits, '-' (not first)",
            examples = "marketing")
        String name,
    @Schema(description = "Fair-share weight, at least 1 (default 1)") Integer weight,
    @Schema(description = "Most chunks dispatched or running at once") Integer maxConcurrentChunks,
    @Schema(description = "Most jobs queued or running at once") Integer maxQueuedJobs,
    @Schema(description = "Most GPU-seconds of chunks per day") Long gpuSecondsPerDay) {}
