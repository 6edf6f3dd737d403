package dev.reelfarm.schema.messages;

import java.util.UUID;

/** Sent by every worker every few seconds; the orchestrator keeps the latest per worker. */
public record WorkerHeartbeat(
    int schemaVersion,
    String workerId,
    String model,
    String device,
    String host,
    long pid,
    UUID currentJobId,
    Long currentChunkId,
    long timestampMillis) {

  public static final int SCHEMA_VERSION = 1;
}
