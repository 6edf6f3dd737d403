package dev.reelfarm.schema.messages;

import java.util.List;
import java.util.UUID;

/**
 * Sent by every worker every few seconds; the orchestrator keeps the latest per worker. {@code
 * taskPartitions} are the chunk-task partitions this worker consumes, so the dispatcher can route a
 * chunk to an idle worker.
 */
public record WorkerHeartbeat(
    int schemaVersion,
    String workerId,
    String model,
    String device,
    String host,
    long pid,
    UUID currentJobId,
    Long currentChunkId,
    List<Integer> taskPartitions,
    long timestampMillis)
    implements WireMessage {

  public static final int SCHEMA_VERSION = 1;

  @Override
  public void validate() {
    WireMessage.requireVersion(schemaVersion, SCHEMA_VERSION);
    WireMessage.require(workerId, "workerId");
  }
}
