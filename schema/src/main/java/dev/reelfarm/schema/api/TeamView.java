package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A team: it owns jobs and API keys; its weight and quotas are used by the dispatcher. */
@Schema(description = "A team, its fair-share weight and quotas (null: unlimited).")
public record TeamView(
    @Schema(required = true) UUID id,
    @Schema(required = true, examples = "marketing") String name,
    @Schema(required = true, description = "Share of contended workers") int weight,
    @Schema(nullable = true) Integer maxConcurrentChunks,
    @Schema(nullable = true) Integer maxQueuedJobs,
    @Schema(nullable = true) Long gpuSecondsPerDay,
    @Schema(required = true) Instant createdAt) {}
