package dev.reelfarm.orchestrator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
  private final ChunkPlanner planner = new ChunkPlanner(8, 2);

  @Test
  void fourSecondsAtEightFpsBecomeThirtyTwoFramesInFiveSequentialChunks() {
    ChunkPlan plan = planner.plan(4, 8, RenderMode.SEQUENTIAL);

    assertThat(plan.totalFrames()).isEqualTo(32);
    assertThat(plan.chunks()).extracting(PlannedChunk::windowStart).containsExactly(0, 6, 12, 18, 24);
    assertThat(plan.chunks()).extracting(PlannedChunk::ownedStart).containsExactly(0, 8, 14, 20, 26);
    assertThat(plan.chunks()).extracting(PlannedChunk::ownedEnd).containsExactly(8, 14, 20, 26, 32);
  }

  @Test
  void sequentialChunkIsConditionedOnTheLastFramesOfItsPredecessor() {
    PlannedChunk second = planner.plan(4, 8, RenderMode.SEQUENTIAL).chunks().get(1);

    assertThat(second.dependsOn()).containsExactly(0);
    assertThat(second.contextFrames()).containsExactly(6, 7);
  }

  @Test
  void ownedRangesTileTheClipExactlyOnceInEveryMode() {
    for (RenderMode mode : RenderMode.values()) {
      for (double seconds : List.of(1.0, 2.5, 4.0, 12.0, 60.0)) {
        ChunkPlan plan = planner.plan(seconds, 8, mode);
        int next = 0;
        for (PlannedChunk chunk : plan.chunks()) {
          assertThat(chunk.ownedStart()).as("%s %.1fs chunk %d", mode, seconds, chunk.index()).isEqualTo(next);
          assertThat(chunk.ownedEnd()).isGreaterThan(chunk.ownedStart());
          assertThat(chunk.windowFrames()).isEqualTo(8);
          next = chunk.ownedEnd();
        }
        assertThat(next).isEqualTo(plan.totalFrames());
      }
    }
  }

  @Test
  void independentChunksHaveNoDependencies() {
    ChunkPlan plan = planner.plan(4, 8, RenderMode.INDEPENDENT);

    assertThat(plan.chunks()).hasSize(4).allSatisfy(c -> assertThat(c.dependsOn()).isEmpty());
  }

  @Test
  void partialFramePeriodsRoundUp() {
    assertThat(ChunkPlanner.totalFrames(1.01, 8)).isEqualTo(9);
    assertThat(ChunkPlanner.totalFrames(1.0, 8)).isEqualTo(8);
  }

  @Test
  void contextMustLeaveRoomForNewFrames() {
    assertThatThrownBy(() -> new ChunkPlanner(8, 8)).hasMessageContaining("contextFrames");
  }
}
