package dev.reelfarm.orchestrator.planning;

import dev.reelfarm.schema.api.RenderMode;
import java.util.List;

/** A job's chunks, a DAG by {@link PlannedChunk#dependsOn()}, owning {@code totalFrames} frames. */
public record ChunkPlan(RenderMode mode, int totalFrames, List<PlannedChunk> chunks) {
  public ChunkPlan {
    chunks = List.copyOf(chunks);
  }

  /**
   * Chunks on the longest dependency path from each chunk to the end of the job, itself included:
   * the dispatcher starts the chunks that hold up the most work first (critical path first).
   */
  public int[] criticalPaths() {
    int[] path = new int[chunks.size()];
    java.util.Arrays.fill(path, 1);
    for (int i = chunks.size() - 1; i >= 0; i--) { // dependencies always have lower indices
      for (int d : chunks.get(i).dependsOn()) path[d] = Math.max(path[d], path[i] + 1);
    }
    return path;
  }

  /**
   * The longest path through the whole DAG: the job's duration in chunk times, with enough workers.
   */
  public int criticalPathLength() {
    int longest = 0;
    for (int p : criticalPaths()) longest = Math.max(longest, p);
    return longest;
  }
}
