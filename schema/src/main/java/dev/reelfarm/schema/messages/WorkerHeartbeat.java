package dev.reelfarm.schema.messages;

import dev.reelfarm.schema.bundle.BundleFacts;
import java.util.List;
import java.util.UUID;

/**
 * Sent by every worker every few seconds; the orchestrator keeps the latest per worker. {@code
 * taskPartitions} are the chunk-task partitions this worker consumes, so the dispatcher can route a
 * chunk to an idle worker. {@code model} is the loaded bundle's {@code name@version}; {@code
 * bundle} (added in issue 16, absent from older workers) its facts and checksum, from which the
 * orchestrator learns which models the farm serves and routes each job's chunks to workers that
 * have its model loaded.
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
    long timestampMillis,
    BundleFacts bundle)
    implements WireMessage {

  public static final int SCHEMA_VERSION = 1;

  /** A heartbeat without bundle facts, as workers before issue 16 sent it. */
  public WorkerHeartbeat(
      int schemaVersion,
      String workerId,
      String model,
      String device,
      String host,
      long pid,
      UUID currentJobId,
      Long currentChunkId,
      List<Integer> taskPartitions,
      long timestampMillis) {
    this(
        schemaVersion,
        workerId,
        model,
        device,
        host,
        pid,
        currentJobId,
        currentChunkId,
        taskPartitions,
        timestampMillis,
        null);
  }

  /**
   * The bundle's name: the reported bundle's, else the part of {@code model} before its {@code @}
   * (older workers); null when neither is known.
   */
  public String modelName() {
    if (bundle != null) return bundle.name();
    if (model == null) return null;
    int at = model.indexOf('@');
    return at < 0 ? model : model.substring(0, at);
  }

  @Override
  public void validate() {
    WireMessage.requireVersion(schemaVersion, SCHEMA_VERSION);
    WireMessage.require(workerId, "workerId");
    if (bundle != null) {
      WireMessage.require(bundle.name(), "bundle.name");
      WireMessage.require(bundle.checksum(), "bundle.checksum");
      if (bundle.nativeFps() < 1 || bundle.framesPerChunk() < 1)
        throw new MessageCodec.MalformedMessageException(
            "bundle " + bundle.name() + ": nativeFps and framesPerChunk must be positive");
    }
  }
}
