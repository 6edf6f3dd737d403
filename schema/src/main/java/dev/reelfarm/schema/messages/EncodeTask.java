package dev.reelfarm.schema.messages;

import java.util.List;
import java.util.UUID;

/** Stitch and encode one job: its chunks' frames in order, with the frames each chunk owns. */
public record EncodeTask(
    int schemaVersion,
    UUID jobId,
    String preset,
    int nativeWidth,
    int nativeHeight,
    int nativeFps,
    int totalFrames,
    List<ChunkFrames> chunks,
    String artifactPrefix) {

  public static final int SCHEMA_VERSION = 1;

  /**
   * Frames of one chunk: the file holds {@code windowFrames} RGB frames starting at global frame
   * {@code windowStart}; frames {@code [ownedStart, ownedEnd)} go into the clip.
   */
  public record ChunkFrames(
      int chunkIndex, String framesUri, int windowStart, int windowFrames, int ownedStart, int ownedEnd) {}
}
