package dev.reelfarm.schema.messages;

import java.util.List;
import java.util.UUID;

/**
 * A chunk to denoise: the global native frames {@code frames} of the job (consecutive, {@code
 * [windowStart, windowStart + windowFrames)}, except for anchor chunks, whose keyframes are
 * strided). Frames listed in {@code context} are already known (rendered by a chunk this one
 * depends on) and condition the rest. Latent artifacts hold frames in {@code frames} order.
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
    List<Integer> frames,
    List<ContextFrame> context,
    String artifactPrefix) {

  public static final int SCHEMA_VERSION = 1;

  /** The window's global frames; older producers sent only a consecutive window. */
  public List<Integer> windowFrameIndices() {
    if (frames != null && !frames.isEmpty()) return frames;
    return java.util.stream.IntStream.range(windowStart, windowStart + windowFrames).boxed().toList();
  }

  /** A known latent frame: global native frame index, and where its latents are stored. */
  public record ContextFrame(int globalFrame, String latentsUri, int indexInArtifact) {}
}
