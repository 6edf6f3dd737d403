package dev.reelfarm.schema.messages;

import dev.reelfarm.schema.bundle.BundleRef;
import java.util.List;
import java.util.UUID;

/**
 * A chunk to denoise: the global native frames {@code frames} of the job (consecutive, {@code
 * [windowStart, windowStart + windowFrames)}, except for anchor chunks, whose keyframes are
 * strided). Frames listed in {@code context} are already known (rendered by a chunk this one
 * depends on) and condition the rest. Latent artifacts hold frames in {@code frames} order. {@code
 * dispatchEpoch} numbers the chunk's dispatches (1, 2, ...); the worker echoes it in every {@link
 * ChunkEvent} of the run, so the orchestrator lets only a newer dispatch supersede a run. {@code
 * model} is the bundle the job was planned for (absent from older orchestrators: any): a worker
 * with another bundle loaded does not render it.
 *
 * <p>{@code chunkSeed} (null: none) is a re-rendered chunk's own seed: the frames it renders draw
 * their noise from it, its context frames keep the noise of the job's {@code seed}.
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
    String artifactPrefix,
    int dispatchEpoch,
    Long chunkSeed,
    BundleRef model)
    implements WireMessage {

  public static final int SCHEMA_VERSION = 1;

  /**
   * A task of a chunk rendered with the job's seed (not a re-render) that names no model, as
   * orchestrators before issue 16 sent it.
   */
  public ChunkTask(
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
      String artifactPrefix,
      int dispatchEpoch) {
    this(
        schemaVersion,
        jobId,
        chunkId,
        chunkIndex,
        prompt,
        negativePrompt,
        seed,
        steps,
        guidanceScale,
        windowStart,
        windowFrames,
        frames,
        context,
        artifactPrefix,
        dispatchEpoch,
        null,
        null);
  }

  /**
   * A task without a dispatch epoch, as older orchestrators sent it: epoch 0, the oldest, which
   * never supersedes a run.
   */
  public ChunkTask(
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
    this(
        schemaVersion,
        jobId,
        chunkId,
        chunkIndex,
        prompt,
        negativePrompt,
        seed,
        steps,
        guidanceScale,
        windowStart,
        windowFrames,
        frames,
        context,
        artifactPrefix,
        0,
        null,
        null);
  }

  @Override
  public void validate() {
    WireMessage.requireVersion(schemaVersion, SCHEMA_VERSION);
    WireMessage.require(jobId, "jobId");
    WireMessage.require(prompt, "prompt");
    if (steps < 1) throw new MessageCodec.MalformedMessageException("steps " + steps + " < 1");
    if (windowFrameIndices().isEmpty()) {
      throw new MessageCodec.MalformedMessageException("the chunk has no frames");
    }
    try {
      frameStride();
    } catch (IllegalArgumentException e) {
      throw new MessageCodec.MalformedMessageException(e.getMessage());
    }
    WireMessage.requireRelativePath(artifactPrefix, "artifactPrefix");
    if (model != null) WireMessage.require(model.name(), "model.name");
    if (context != null) {
      for (ContextFrame frame : context)
        WireMessage.require(frame.latentsUri(), "context.latentsUri");
    }
  }

  /** The window's global frames; older producers sent only a consecutive window. */
  public List<Integer> windowFrameIndices() {
    if (frames != null && !frames.isEmpty()) return frames;
    return java.util.stream.IntStream.range(windowStart, windowStart + windowFrames)
        .boxed()
        .toList();
  }

  /**
   * Native frames from one window frame to the next: 1 for a consecutive window, the keyframe
   * spacing for an anchor chunk.
   *
   * @throws IllegalArgumentException if the window's frames are not evenly spaced and increasing
   */
  public int frameStride() {
    List<Integer> window = windowFrameIndices();
    if (window.size() < 2) return 1;
    int stride = window.get(1) - window.get(0);
    for (int i = 1; i < window.size(); i++) {
      if (stride < 1 || window.get(i) - window.get(i - 1) != stride) {
        throw new IllegalArgumentException(
            "chunk " + chunkIndex + ": window frames " + window + " are not evenly spaced");
      }
    }
    return stride;
  }

  /** A known latent frame: global native frame index, and where its latents are stored. */
  public record ContextFrame(int globalFrame, String latentsUri, int indexInArtifact) {}
}
