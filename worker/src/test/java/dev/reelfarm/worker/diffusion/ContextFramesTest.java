package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** An infill window of 4 frames (2 channels, 1×1) whose first and last frames are keyframes. */
class ContextFramesTest {

  private static final LatentShape SHAPE = new LatentShape(LatentLayout.BCFHW, 2, 4, 1, 1);
  private static final float[] FIRST_KEYFRAME = {1f, 2f};
  private static final float[] LAST_KEYFRAME = {3f, 4f};

  private static ContextFrames boundaryKeyframes() {
    return ContextFrames.of(SHAPE, Map.of(0, FIRST_KEYFRAME, 3, LAST_KEYFRAME));
  }

  @Test
  void nativeInputsHoldKnownLatentsAndZerosElsewhere() {
    ContextFrames context = boundaryKeyframes();

    // BCFHW: channel 0 over frames 0..3, then channel 1
    assertThat(context.modelInput()).containsExactly(1f, 0f, 0f, 3f, 2f, 0f, 0f, 4f);
    assertThat(context.mask().modelInput()).containsExactly(1f, 0f, 0f, 1f);
  }

  @Test
  void noContextGivesZeroInputs() {
    ContextFrames context = ContextFrames.none(SHAPE);

    assertThat(context.modelInput()).containsOnly(0f);
    assertThat(context.mask().modelInput()).containsExactly(0f, 0f, 0f, 0f);
  }

  @Test
  void restoringPutsCleanLatentsBackExactlyAndLeavesTheRest() {
    float[] sample = {9f, 9f, 9f, 9f, 8f, 8f, 8f, 8f};

    float[] restored = boundaryKeyframes().restoreKnownFrames(sample);

    assertThat(restored).containsExactly(1f, 9f, 9f, 3f, 2f, 8f, 8f, 4f);
    assertThat(sample).containsOnly(9f, 8f);
  }

  @Test
  void maskIsAValueWithAReadableForm() {
    assertThat(ContextMask.of(4, 0, 3)).isEqualTo(boundaryKeyframes().mask());
    assertThat(ContextMask.of(4, 0, 3)).hasSameHashCodeAs(ContextMask.of(4, 3, 0));
    assertThat(ContextMask.of(4, 0, 3)).hasToString("ContextMask[K..K]");
    assertThat(ContextMask.none(4)).isNotEqualTo(ContextMask.of(4, 0));
  }

  @Test
  void framesOutsideTheWindowOrOfTheWrongSizeAreRejected() {
    assertThatThrownBy(() -> ContextMask.of(4, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContextFrames.of(SHAPE, Map.of(1, new float[3])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> boundaryKeyframes().knownFrame(1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
