package dev.reelfarm.orchestrator.planning;

import java.util.List;

/** A job's chunks, a DAG by {@link PlannedChunk#dependsOn()}, owning {@code totalFrames} frames. */
public record ChunkPlan(RenderMode mode, int totalFrames, List<PlannedChunk> chunks) {
  public ChunkPlan {
    chunks = List.copyOf(chunks);
  }
}
