package dev.reelfarm.orchestrator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.RenderMode;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
  private final ChunkPlanner planner = new ChunkPlanner(8, 2, 1);

  @Test
  void fourSecondsAtEightFpsBecomeThirtyTwoFramesInFiveSequentialChunks() {
    ChunkPlan plan = planner.plan(4, 8, RenderMode.SEQUENTIAL);

    assertThat(plan.totalFrames()).isEqualTo(32);
    assertThat(plan.chunks())
        .extracting(PlannedChunk::windowStart)
        .containsExactly(0, 6, 12, 18, 24);
    assertThat(plan.chunks())
        .extracting(PlannedChunk::ownedStart)
        .containsExactly(0, 8, 14, 20, 26);
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
          assertThat(chunk.windowFrames()).isEqualTo(8);
          assertThat(chunk.frames()).containsAll(chunk.contextFrames());
          if (chunk.role() == ChunkRole.ANCHOR) continue; // anchors own no frames
          assertThat(chunk.ownedStart())
              .as("%s %.1fs chunk %d", mode, seconds, chunk.index())
              .isEqualTo(next);
          assertThat(chunk.ownedEnd()).isGreaterThan(chunk.ownedStart());
          assertThat(chunk.frames())
              .as("a chunk renders the frames it owns")
              .containsAll(IntStream.range(chunk.ownedStart(), chunk.ownedEnd()).boxed().toList());
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
    assertThatThrownBy(() -> new ChunkPlanner(8, 8, 1)).hasMessageContaining("contextFrames");
  }

  @Test
  void twelveSecondAnchoredClipHasTwoAnchorsThenFourteenInfillsThatDependOnlyOnAnchors() {
    ChunkPlan plan = planner.plan(12, 8, RenderMode.ANCHORED);

    List<PlannedChunk> anchors =
        plan.chunks().stream().filter(c -> c.role() == ChunkRole.ANCHOR).toList();
    List<PlannedChunk> infills =
        plan.chunks().stream().filter(c -> c.role() == ChunkRole.INFILL).toList();
    assertThat(plan.totalFrames()).isEqualTo(96);
    assertThat(anchors)
        .extracting(PlannedChunk::frames)
        .containsExactly(
            List.of(0, 7, 14, 21, 28, 35, 42, 49), List.of(49, 56, 63, 70, 77, 84, 91, 98));
    assertThat(anchors.get(1).dependsOn()).containsExactly(0);
    assertThat(anchors.get(1).contextFrames()).containsExactly(49);
    assertThat(infills)
        .hasSize(14)
        .allSatisfy(c -> assertThat(c.dependsOn()).allSatisfy(d -> assertThat(d).isLessThan(2)));
  }

  @Test
  void infillIsConditionedOnTheKeyframesAtBothEndsOfItsWindow() {
    PlannedChunk infill = planner.plan(12, 8, RenderMode.ANCHORED).chunks().get(2 + 7);

    assertThat(infill.frames()).containsExactly(49, 50, 51, 52, 53, 54, 55, 56);
    assertThat(infill.contextFrames()).containsExactly(49, 56);
    assertThat(infill.dependsOn()).as("anchor 1 holds keyframes 49 and 56").containsExactly(1);
    assertThat(infill.ownedStart()).isEqualTo(49);
    assertThat(infill.ownedEnd()).isEqualTo(56);
  }

  @Test
  void widerOverlapSpacesKeyframesCloserAndSharesMoreFramesBetweenInfills() {
    ChunkPlan plan = new ChunkPlanner(8, 2, 3).plan(4, 8, RenderMode.ANCHORED);
    List<PlannedChunk> infills =
        plan.chunks().stream().filter(c -> c.role() == ChunkRole.INFILL).toList();

    assertThat(infills.get(0).contextFrames()).containsExactly(0, 5);
    assertThat(infills.get(1).frames()).startsWith(5, 6, 7);
  }

  @Test
  void anchorsComeFirstOnTheCriticalPath() {
    ChunkPlan plan = planner.plan(12, 8, RenderMode.ANCHORED);
    int[] paths = plan.criticalPaths();

    assertThat(paths[0]).isEqualTo(3); // anchor 0 -> anchor 1 -> an infill
    assertThat(paths[1]).isEqualTo(2);
    assertThat(paths[2]).isEqualTo(1);
    assertThat(plan.criticalPathLength()).isEqualTo(3);
    assertThat(planner.plan(4, 8, RenderMode.SEQUENTIAL).criticalPathLength()).isEqualTo(5);
  }

  @Test
  void sixtySecondClipGetsACoarserAnchorLevelSoItsCriticalPathIsFourChunks() {
    ChunkPlan plan = planner.plan(60, 8, RenderMode.ANCHORED); // 480 frames, keyframes every 7
    List<PlannedChunk> anchors =
        plan.chunks().stream().filter(c -> c.role() == ChunkRole.ANCHOR).toList();

    // Coarse level: keyframes every 49 frames, two chained anchors (groups 0..6 and 7..9 below).
    assertThat(anchors.get(0).frames()).containsExactly(0, 49, 98, 147, 196, 245, 294, 343);
    assertThat(anchors.get(0).dependsOn()).isEmpty();
    assertThat(anchors.get(1).frames()).startsWith(343, 392);
    assertThat(anchors.get(1).dependsOn()).containsExactly(0);
    assertThat(anchors.get(1).contextFrames()).containsExactly(343);
    // Fine level: 10 anchors, each conditioned on both its ends from the coarse level.
    assertThat(anchors).hasSize(12);
    PlannedChunk fine = anchors.get(2 + 8);
    assertThat(fine.frames()).containsExactly(392, 399, 406, 413, 420, 427, 434, 441);
    assertThat(fine.contextFrames()).containsExactly(392, 441);
    assertThat(fine.dependsOn()).containsExactly(1);
    assertThat(anchors.subList(2, 12))
        .allSatisfy(
            a -> assertThat(a.dependsOn()).hasSize(1).allSatisfy(d -> assertThat(d).isLessThan(2)));
    // 69 infills, each on the one fine anchor holding both its keyframes.
    List<PlannedChunk> infills =
        plan.chunks().stream().filter(c -> c.role() == ChunkRole.INFILL).toList();
    assertThat(infills).hasSize(69);
    assertThat(infills.get(68).contextFrames()).containsExactly(476, 483);
    assertThat(infills.get(68).dependsOn()).containsExactly(2 + 9);
    assertThat(plan.criticalPathLength()).isEqualTo(4);
    assertOwnedRangesTile(plan);
  }

  @Test
  void everyContextFrameIsRenderedByADependency() {
    for (int seconds : new int[] {4, 12, 30, 60, 120, 400}) {
      ChunkPlan plan = planner.plan(seconds, 8, RenderMode.ANCHORED);
      for (PlannedChunk c : plan.chunks()) {
        for (int frame : c.contextFrames()) {
          assertThat(c.dependsOn())
              .as(seconds + " s, chunk " + c.index() + ", frame " + frame)
              .anySatisfy(d -> assertThat(plan.chunks().get(d).frames()).contains(frame));
        }
        assertThat(c.dependsOn()).allSatisfy(d -> assertThat(d).isLessThan(c.index()));
      }
      assertOwnedRangesTile(plan);
    }
  }

  private static void assertOwnedRangesTile(ChunkPlan plan) {
    int next = 0;
    for (PlannedChunk c : plan.chunks()) {
      if (c.ownedEnd() == c.ownedStart()) continue;
      assertThat(c.ownedStart()).isEqualTo(next);
      next = c.ownedEnd();
    }
    assertThat(next).isEqualTo(plan.totalFrames());
  }

  @Test
  void longClipsDefaultToAnchoredShortOnesToSequential() {
    assertThat(planner.defaultMode(12, 8)).isEqualTo(RenderMode.ANCHORED);
    assertThat(planner.defaultMode(1.5, 8)).isEqualTo(RenderMode.SEQUENTIAL);
  }
}
