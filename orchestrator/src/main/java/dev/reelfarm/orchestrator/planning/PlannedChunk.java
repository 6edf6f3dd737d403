package dev.reelfarm.orchestrator.planning;

import java.util.List;

/**
 * One chunk of a plan, in native frames. The chunk denoises its window {@code [windowStart,
 * windowStart + windowFrames)}; {@code contextFrames} (global indices inside the window) are known
 * from the chunks it depends on; it contributes frames {@code [ownedStart, ownedEnd)} to the clip.
 */
public record PlannedChunk(
    int index,
    int windowStart,
    int windowFrames,
    int ownedStart,
    int ownedEnd,
    List<Integer> dependsOn,
    List<Integer> contextFrames) {

  public PlannedChunk {
    dependsOn = List.copyOf(dependsOn);
    contextFrames = List.copyOf(contextFrames);
  }
}
