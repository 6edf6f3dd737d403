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

  /**
   * The {@link ChunkTask#dispatchEpoch()} of the task the run renders; 0 from workers that predate
   * it (the oldest epoch).
   */
  int dispatchEpoch();

  /**
   * A worker took the chunk: a new run, which supersedes the current one only if its dispatch is
   * newer.
   */
  record Started(
      int schemaVersion,
      UUID jobId,
      long chunkId,
      UUID runId,
      String workerId,
      int steps,
      long timestampMillis,
      int dispatchEpoch)
      implements ChunkEvent {
    /** As a worker without dispatch epochs sent it. */
    public Started(
        int schemaVersion,
        UUID jobId,
        long chunkId,
        UUID runId,
        String workerId,
        int steps,
        long timestampMillis) {
      this(schemaVersion, jobId, chunkId, runId, workerId, steps, timestampMillis, 0);
    }
  }

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
      long timestampMillis,
      int dispatchEpoch)
      implements ChunkEvent {
    /** As a worker without dispatch epochs sent it. */
    public Step(
        int schemaVersion,
        UUID jobId,
        long chunkId,
        UUID runId,
        String workerId,
        int step,
        int steps,
        String previewUri,
        long timestampMillis) {
      this(
          schemaVersion,
          jobId,
          chunkId,
          runId,
          workerId,
          step,
          steps,
          previewUri,
          timestampMillis,
          0);
    }
  }

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
      long timestampMillis,
      int dispatchEpoch)
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

    /** As a worker without dispatch epochs sent it. */
    public Completed(
        int schemaVersion,
        UUID jobId,
        long chunkId,
        UUID runId,
        String workerId,
        int steps,
        String framesUri,
        String latentsUri,
        Timings timings,
        long timestampMillis) {
      this(
          schemaVersion,
          jobId,
          chunkId,
          runId,
          workerId,
          steps,
          framesUri,
          latentsUri,
          timings,
          timestampMillis,
          0);
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
      long timestampMillis,
      int dispatchEpoch)
      implements ChunkEvent {
    /** As a worker without dispatch epochs sent it. */
    public Failed(
        int schemaVersion,
        UUID jobId,
        long chunkId,
        UUID runId,
        String workerId,
        int steps,
        String error,
        long timestampMillis) {
      this(schemaVersion, jobId, chunkId, runId, workerId, steps, error, timestampMillis, 0);
    }
  }

  /** Where a chunk's time went, in milliseconds. */
  record Timings(long textMs, long denoiseMs, long decodeMs) {}
}
