package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassifierFreeGuidanceTest {

  private static final float[] UNCONDITIONAL = {1f, 2f, -0.5f};
  private static final float[] CONDITIONAL = {3f, 0f, -0.5f};

  @Test
  void guidedOutputExtrapolatesFromUnconditionalPastConditional() {
    ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(7.5);

    // 1 + 7.5·(3 − 1) = 16; 2 + 7.5·(0 − 2) = −13; equal outputs stay
    assertThat(guidance.guide(UNCONDITIONAL, CONDITIONAL)).containsExactly(16f, -13f, -0.5f);
    assertThat(guidance.needsUnconditionalPass()).isTrue();
  }

  @Test
  void scaleOneIsTheConditionalOutputAndSkipsTheUnconditionalPass() {
    ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(1.0);

    assertThat(guidance.needsUnconditionalPass()).isFalse();
    assertThat(guidance.guide(UNCONDITIONAL, CONDITIONAL)).containsExactly(CONDITIONAL);
  }

  @Test
  void batchedOutputHoldsUnconditionalThenConditional() {
    float[] batched = {1f, 2f, -0.5f, 3f, 0f, -0.5f};

    assertThat(new ClassifierFreeGuidance(7.5).guideBatched(batched))
        .containsExactly(16f, -13f, -0.5f);
  }

  @Test
  void guidanceLeavesItsInputsUntouched() {
    float[] unconditional = UNCONDITIONAL.clone();
    float[] conditional = CONDITIONAL.clone();

    new ClassifierFreeGuidance(5).guide(unconditional, conditional);

    assertThat(unconditional).containsExactly(UNCONDITIONAL);
    assertThat(conditional).containsExactly(CONDITIONAL);
  }

  @Test
  void mismatchedOutputsAndNonFiniteScalesAreRejected() {
    ClassifierFreeGuidance guidance = new ClassifierFreeGuidance(3);

    assertThatThrownBy(() -> guidance.guide(new float[2], new float[3]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> guidance.guideBatched(new float[3]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ClassifierFreeGuidance(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
