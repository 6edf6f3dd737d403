package dev.reelfarm.orchestrator.planning;

import dev.reelfarm.schema.api.ChunkRole;
import java.util.List;

/**
 * One chunk of a plan, in native frames. The chunk denoises the global frames of its window, {@code
 * frames} (consecutive for most chunks, strided for an anchor chunk's keyframes); {@code
 * contextFrames} (a subset of {@code frames}) are known from the chunks it depends on; it
 * contributes frames {@code [ownedStart, ownedEnd)} to the clip (an empty range for anchors).
 */
public record PlannedChunk(
    int index,
    ChunkRole role,
    List<Integer> frames,
    int ownedStart,
    int ownedEnd,
    List<Integer> dependsOn,
    List<Integer> contextFrames) {

  public PlannedChunk {
    frames = List.copyOf(frames);
    dependsOn = List.copyOf(dependsOn);
    contextFrames = List.copyOf(contextFrames);
    if (!frames.containsAll(contextFrames))
      throw new IllegalArgumentException("context frames must lie in the window");
  }

  public int windowStart() {
    return frames.get(0);
  }

  public int windowFrames() {
    return frames.size();
  }

  /** True when the window is consecutive frames (not an anchor's strided keyframes). */
  public boolean contiguous() {
    return frames.get(frames.size() - 1) - frames.get(0) == frames.size() - 1;
  }
}
