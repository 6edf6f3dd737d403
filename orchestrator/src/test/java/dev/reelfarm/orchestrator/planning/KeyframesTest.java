package dev.reelfarm.orchestrator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.RenderMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyframesTest {
  private final ChunkPlanner planner = new ChunkPlanner(8, 2, 1);

  @Test
  void aThreeSecondClipHasAKeyframeEverySevenFramesInsideTheClipFromItsOneAnchor() {
    ChunkPlan plan = planner.plan(3, 8, RenderMode.ANCHORED); // 24 frames, keyframes 0..28

    List<Keyframes.Keyframe> keyframes = Keyframes.of(plan.chunks(), plan.totalFrames());

    assertThat(keyframes).extracting(Keyframes.Keyframe::frame).containsExactly(0, 7, 14, 21);
    assertThat(keyframes).extracting(Keyframes.Keyframe::anchor).containsOnly(0);
    assertThat(keyframes).extracting(Keyframes.Keyframe::position).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aLongClipTakesEachKeyframeFromTheAnchorItsInfillsAreConditionedOn() {
    ChunkPlan plan = planner.plan(60, 8, RenderMode.ANCHORED);

    List<Keyframes.Keyframe> keyframes = Keyframes.of(plan.chunks(), plan.totalFrames());

    assertThat(keyframes).hasSize(69); // 480 frames: keyframes 0, 7, ..., 476
    for (Keyframes.Keyframe k : keyframes) {
      PlannedChunk anchor = plan.chunks().get(k.anchor());
      assertThat(anchor.role()).isEqualTo(ChunkRole.ANCHOR);
      assertThat(anchor.frames().get(k.position())).isEqualTo(k.frame());
      // a keyframe between two anchor groups conditions infills of both; it is taken from one
      assertThat(
              plan.chunks().stream()
                  .filter(
                      c -> c.role() == ChunkRole.INFILL && c.contextFrames().contains(k.frame())))
          .anySatisfy(infill -> assertThat(infill.dependsOn()).contains(k.anchor()));
    }
  }

  @Test
  void plansWithoutInfillsHaveNoKeyframes() {
    for (RenderMode mode : List.of(RenderMode.SEQUENTIAL, RenderMode.INDEPENDENT)) {
      ChunkPlan plan = planner.plan(4, 8, mode);
      assertThat(Keyframes.of(plan.chunks(), plan.totalFrames())).isEmpty();
    }
  }
}
