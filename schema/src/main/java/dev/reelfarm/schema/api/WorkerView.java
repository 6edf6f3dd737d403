package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.UUID;

/**
 * A live worker in {@code GET /api/v1/workers}, from its latest heartbeat. {@code quarantined}: it
 * failed too many chunks in a row and gets none until a probe succeeds or it restarts; {@code
 * quarantineReason} says which failures.
 */
public record WorkerView(
    String id,
    String model,
    String device,
    String host,
    Long pid,
    UUID currentJobId,
    Long currentChunkId,
    Integer currentChunkIndex,
    Instant lastHeartbeatAt,
    long heartbeatAgeMs,
    boolean quarantined,
    Instant quarantinedAt,
    String quarantineReason) {}
