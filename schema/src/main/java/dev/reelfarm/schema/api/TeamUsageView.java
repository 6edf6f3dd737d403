package dev.reelfarm.schema.api;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A team's queue, its share of the farm over the fair-share window and its quota use. */
@Schema(
    description = "A team's queue, share of chunk-seconds and quota use (limits null: unlimited).")
public record TeamUsageView(
    @Schema(required = true) UUID id,
    @Schema(required = true, examples = "marketing") String name,
    @Schema(required = true, description = "Share of contended workers") int weight,
    @Schema(required = true, description = "Its jobs QUEUED") int queuedJobs,
    @Schema(required = true, description = "Its jobs RUNNING (rendering chunks)") int runningJobs,
    @Schema(required = true, description = "Its chunks DISPATCHED or RUNNING") int chunksInFlight,
    @Schema(required = true, description = "The fair-share window the share is measured over")
        int windowSeconds,
    @Schema(required = true, description = "Its chunk-seconds within the window")
        double chunkSeconds,
    @Schema(
            required = true,
            description = "Its fraction (0..1) of every team's chunk-seconds within the window")
        double share,
    @Schema(
            nullable = true,
            description =
                "What its weight entitles it to (0..1) among the teams with queued or running"
                    + " jobs; null: it has none")
        Double fairShare,
    @Schema(nullable = true, description = "Limit on its chunks in flight")
        Integer maxConcurrentChunks,
    @Schema(nullable = true, description = "Limit on its jobs queued plus running")
        Integer maxQueuedJobs,
    @Schema(nullable = true) Long gpuSecondsPerDay,
    @Schema(required = true, description = "Chunk-seconds its chunks used since 00:00 UTC")
        double gpuSecondsToday) {}
