package dev.reelfarm.schema.messages;

import java.util.List;
import java.util.UUID;

/**
 * Stitch and encode one job: its chunks' frames in order, with the frames each chunk owns.
 *
 * <p>While a job renders, the orchestrator sends a partial task ({@code complete = false}) each
 * time the run of finished chunks at the start of the clip grows: chunks not finished yet have no
 * {@code framesUri}. An encoder may encode the frames those chunks settle and keep its encoding
 * open for the job; the complete task (every chunk has frames) finishes the clip, from scratch if
 * the encoder holds nothing for the job. Tasks of one job share a key, so they arrive in order.
 *
 * <p>{@code interpolation} ({@code motion}, {@code blend}, {@code repeat}) is the request's frame
 * rate conversion; null (and from older orchestrators, absent) means the preset's.
 */
public record EncodeTask(
    int schemaVersion,
    UUID jobId,
    String preset,
    int nativeWidth,
    int nativeHeight,
    int nativeFps,
    int totalFrames,
    List<ChunkFrames> chunks,
    String artifactPrefix,
    boolean complete,
    String interpolation)
    implements WireMessage {

  /** 2: partial tasks ({@code complete}). */
  public static final int SCHEMA_VERSION = 2;

  /** A task that leaves the frame rate conversion to the preset. */
  public EncodeTask(
      int schemaVersion,
      UUID jobId,
      String preset,
      int nativeWidth,
      int nativeHeight,
      int nativeFps,
      int totalFrames,
      List<ChunkFrames> chunks,
      String artifactPrefix,
      boolean complete) {
    this(
        schemaVersion,
        jobId,
        preset,
        nativeWidth,
        nativeHeight,
        nativeFps,
        totalFrames,
        chunks,
        artifactPrefix,
        complete,
        null);
  }

  @Override
  public void validate() {
    WireMessage.requireVersion(schemaVersion, SCHEMA_VERSION);
    WireMessage.require(jobId, "jobId");
    WireMessage.require(preset, "preset");
    WireMessage.requireNonEmpty(chunks, "chunks");
    WireMessage.requireRelativePath(artifactPrefix, "artifactPrefix");
    if (complete) {
      for (ChunkFrames c : chunks) WireMessage.require(c.framesUri(), "chunks.framesUri");
    }
  }

  /**
   * Frames of one chunk: the file holds {@code windowFrames} RGB frames starting at global frame
   * {@code windowStart}; frames {@code [ownedStart, ownedEnd)} go into the clip. {@code framesUri}
   * is null in a partial task for a chunk that is not finished.
   */
  public record ChunkFrames(
      int chunkIndex,
      String framesUri,
      int windowStart,
      int windowFrames,
      int ownedStart,
      int ownedEnd) {}
}
