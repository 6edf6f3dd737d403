package dev.reelfarm.schema.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * A worker's report about one run of a chunk, one record per kind, told apart on the wire by {@code
 * type} (STARTED, STEP, COMPLETED, FAILED) as when this was one flat record; a kind's fields keep
 * their names, so services of either version read each other's messages. {@code runId} identifies
 * the run; the orchestrator fences results by it, so a report from a superseded run never changes
 * the chunk.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ChunkEvent.Started.class, name = "STARTED"),
  @JsonSubTypes.Type(value = ChunkEvent.Step.class, name = "STEP"),
  @JsonSubTypes.Type(value = ChunkEvent.Completed.class, name = "COMPLETED"),
  @JsonSubTypes.Type(value = ChunkEvent.Failed.class, name = "FAILED")
})
public sealed interface ChunkEvent extends WireMessage {
  int SCHEMA_VERSION = 1;

  /** What every kind needs: the orchestrator finds the chunk and fences the run by these. */
  @Override
  default void validate() {
    WireMessage.requireVersion(schemaVersion(), SCHEMA_VERSION);
    WireMessage.require(jobId(), "jobId");
    WireMessage.require(runId(), "runId");
    WireMessage.require(workerId(), "workerId");
  }

  int schemaVersion();

  UUID jobId();

  long chunkId();

  UUID runId();

  String workerId();

  /** Denoising steps of the run. */
  int steps();

  long timestampMillis();

  /** A worker took the chunk: a new run, which supersedes any earlier one. */
  record Started(
      int schemaVersion,
      UUID jobId,
      long chunkId,
      UUID runId,
      String workerId,
      int steps,
      long timestampMillis)
      implements ChunkEvent {}

  /**
   * The run finished denoising step {@code step}; {@code previewUri} (may be null) is a small image
   * of its current estimate.
   */
  record Step(
      int schemaVersion,
      UUID jobId,
      long chunkId,
      UUID runId,
      String workerId,
      int step,
      int steps,
      String previewUri,
      long timestampMillis)
      implements ChunkEvent {}

  /** The run's frames and latents are in the artifact store. */
  record Completed(
      int schemaVersion,
      UUID jobId,
      long chunkId,
      UUID runId,
      String workerId,
      int steps,
      String framesUri,
      String latentsUri,
      Timings timings,
      long timestampMillis)
      implements ChunkEvent {
    public Completed {
      if (timings == null) timings = new Timings(0, 0, 0); // not measured
    }

    @Override
    public void validate() {
      ChunkEvent.super.validate();
      WireMessage.require(framesUri, "framesUri");
      WireMessage.require(latentsUri, "latentsUri");
    }
  }

  /** The run gave up on the chunk (after the worker's own retries); {@code error} says why. */
  record Failed(
      int schemaVersion,
      UUID jobId,
      long chunkId,
      UUID runId,
      String workerId,
      int steps,
      String error,
      long timestampMillis)
      implements ChunkEvent {}

  /** Where a chunk's time went, in milliseconds. */
  record Timings(long textMs, long denoiseMs, long decodeMs) {}
}
