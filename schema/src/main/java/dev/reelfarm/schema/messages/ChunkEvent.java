package dev.reelfarm.schema.messages;

import java.util.UUID;

/**
 * A worker's report about one run of a chunk. {@code runId} identifies the run; the orchestrator
 * fences results by it, so a report from a superseded run never changes the chunk. STEP events may
 * carry {@code previewUri}: a small image of the chunk's current estimate.
 */
public record ChunkEvent(
    int schemaVersion,
    Type type,
    UUID jobId,
    long chunkId,
    UUID runId,
    String workerId,
    int step,
    int steps,
    String framesUri,
    String latentsUri,
    String previewUri,
    Timings timings,
    String error,
    long timestampMillis) {

  public static final int SCHEMA_VERSION = 1;

  public enum Type {
    STARTED,
    STEP,
    COMPLETED,
    FAILED
  }

  /** Where a chunk's time went, in milliseconds. */
  public record Timings(long textMs, long denoiseMs, long decodeMs) {}
}
