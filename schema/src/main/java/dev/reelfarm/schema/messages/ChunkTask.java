package dev.reelfarm.schema.messages;

import java.util.List;
import java.util.UUID;

/**
 * A chunk to denoise: frames {@code [windowStart, windowStart + windowFrames)} of the job at the
 * model's native frame rate. Frames listed in {@code context} are already known (rendered by a
 * chunk this one depends on) and condition the rest.
 */
public record ChunkTask(
    int schemaVersion,
    UUID jobId,
    long chunkId,
    int chunkIndex,
    String prompt,
    String negativePrompt,
    long seed,
    int steps,
    double guidanceScale,
    int windowStart,
    int windowFrames,
    List<ContextFrame> context,
    String artifactPrefix) {

  public static final int SCHEMA_VERSION = 1;

  /** A known latent frame: global native frame index, and where its latents are stored. */
  public record ContextFrame(int globalFrame, String latentsUri, int indexInArtifact) {}
}
