package dev.reelfarm.encoder.stitching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.encoder.stitching.SequencePlan.Source;
import dev.reelfarm.encoder.stitching.SequencePlan.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequencePlanTest {

  @Test
  void cutsPlaceEachShotRightAfterThePreviousOne() {
    SequencePlan plan = SequencePlan.of(List.of(60, 75, 90), Transition.CUT, 15);

    assertThat(plan.totalFrames()).isEqualTo(225);
    assertThat(plan.starts()).containsExactly(0, 60, 135);
    assertThat(plan.transitionFrames()).isZero();
    assertThat(plan.frame(59)).containsExactly(new Source(0, 59, 1));
    assertThat(plan.frame(60)).containsExactly(new Source(1, 0, 1));
    assertThat(plan.frame(224)).containsExactly(new Source(2, 89, 1));
  }

  @Test
  void aDissolveOverlapsTheShotsByItsLengthAndMixesThem() {
    SequencePlan plan = SequencePlan.of(List.of(60, 75, 90), Transition.DISSOLVE, 15);

    assertThat(plan.totalFrames()).isEqualTo(60 + 75 + 90 - 2 * 15);
    assertThat(plan.starts()).containsExactly(0, 45, 105);
    assertThat(plan.frame(44)).containsExactly(new Source(0, 44, 1));
    List<Source> firstMix = plan.frame(45);
    assertThat(firstMix)
        .extracting(Source::shot, Source::frame)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 45), org.assertj.core.groups.Tuple.tuple(1, 0));
    assertThat(firstMix.get(1).weight()).isCloseTo(1 / 16.0, within(1e-12));
    List<Source> lastMix = plan.frame(59);
    assertThat(lastMix.get(0).frame()).isEqualTo(59);
    assertThat(lastMix.get(1).weight()).isCloseTo(15 / 16.0, within(1e-12));
    assertThat(plan.frame(60)).containsExactly(new Source(1, 15, 1));
  }

  @Test
  void everyFrameOfEveryShotIsShownExactlyOnceAndWeightsSumToOne() {
    for (Transition t : Transition.values()) {
      List<Integer> frames = List.of(31, 30, 45, 38);
      SequencePlan plan = SequencePlan.of(frames, t, 15);
      Map<Integer, List<Integer>> shown = new HashMap<>();
      for (int i = 0; i < plan.totalFrames(); i++) {
        double sum = 0;
        for (Source s : plan.frame(i)) {
          shown.computeIfAbsent(s.shot(), k -> new ArrayList<>()).add(s.frame());
          sum += s.weight();
        }
        assertThat(sum).isCloseTo(1, within(1e-12));
      }
      for (int k = 0; k < frames.size(); k++) {
        List<Integer> expected = new ArrayList<>();
        for (int f = 0; f < frames.get(k); f++) expected.add(f);
        assertThat(shown.get(k)).as("%s shot %d", t, k).isEqualTo(expected);
      }
    }
  }

  @Test
  void aDissolveWeightRisesEvenlyAndIsSymmetric() {
    SequencePlan plan = SequencePlan.of(List.of(30, 30), Transition.DISSOLVE, 4);
    double[] incoming = new double[4];
    for (int i = 0; i < 4; i++) incoming[i] = plan.frame(plan.start(1) + i).get(1).weight();
    assertThat(incoming).containsExactly(0.2, 0.4, 0.6, 0.8);
  }

  @Test
  void aSingleShotIsItsOwnSequence() {
    SequencePlan plan = SequencePlan.of(List.of(30), Transition.DISSOLVE, 15);
    assertThat(plan.totalFrames()).isEqualTo(30);
    assertThat(plan.transitionFrames()).isZero();
  }

  @Test
  void impossiblePlansAreRefused() {
    assertThatThrownBy(() -> SequencePlan.of(List.of(), Transition.CUT, 0))
        .isInstanceOf(InvalidPlanException.class);
    assertThatThrownBy(() -> SequencePlan.of(List.of(30, 0), Transition.CUT, 0))
        .hasMessageContaining("shot 1 has no frames");
    assertThatThrownBy(() -> SequencePlan.of(List.of(30, 30), Transition.DISSOLVE, 0))
        .hasMessageContaining("at least one frame");
    // the middle shot would be in two dissolves at once
    assertThatThrownBy(() -> SequencePlan.of(List.of(60, 29, 60), Transition.DISSOLVE, 15))
        .hasMessageContaining("shot 1 has 29 frames");
    // an end shot entirely inside its dissolve
    assertThatThrownBy(() -> SequencePlan.of(List.of(15, 60), Transition.DISSOLVE, 15))
        .hasMessageContaining("shot 0 has 15 frames");
  }
}
