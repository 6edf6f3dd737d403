package dev.reelfarm.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.ReviewMode;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.presets.Preset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RequestPlansTest {
  /** A causal video VAE: 4 pixel frames per latent frame, 13 frames per chunk at 16 fps. */
  private static final BundleFacts FLOW =
      BundleFacts.read(Path.of("../models/fixtures/tiny-flow-wan"));

  private final RequestPlans plans = new RequestPlans(OrchestratorFixture.MODEL, 2, 1);

  private static RenderRequest request(RenderMode mode, ReviewMode review, BundleFacts model) {
    return RenderRequest.builder("a red circle")
        .durationSeconds(4)
        .preset(Preset.TIKTOK)
        .seed(7)
        .steps(4)
        .guidanceScale(3.0)
        .mode(mode)
        .review(review)
        .model(model)
        .build();
  }

  @Test
  void aRequestWithoutAModelIsPlannedWithTheDefaultsFacts() {
    var planned = plans.plan(request(RenderMode.SEQUENTIAL, null, null));

    assertThat(planned.model()).isEqualTo(OrchestratorFixture.MODEL);
    assertThat(planned.plan().totalFrames()).isEqualTo(4 * OrchestratorFixture.MODEL.nativeFps());
    assertThat(planned.plan().chunks().get(1).contextFrames()).hasSize(2);
  }

  @Test
  void aModelWhoseVaeCompressesTimeGetsWholeLatentFramesOfContextAndNoKeyframePass() {
    var planned = plans.plan(request(RenderMode.ANCHORED, null, FLOW));

    assertThat(planned.model()).isEqualTo(FLOW);
    assertThat(planned.plan().mode()).isEqualTo(RenderMode.SEQUENTIAL);
    assertThat(planned.plan().totalFrames()).isEqualTo(4 * FLOW.nativeFps());
    assertThat(planned.plan().chunks().stream().skip(1).map(PlannedChunk::contextFrames))
        .as("2 frames asked: 1 + 4·m whole latent frames is 1")
        .allSatisfy(context -> assertThat(context).hasSize(1));
    assertThat(planned.plan().chunks().get(0).frames()).hasSize(FLOW.framesPerChunk());
  }

  @Test
  void aStoryboardReviewNeedsKeyframesWhichSuchAModelCannotRender() {
    assertThat(plans.plan(request(null, ReviewMode.KEYFRAMES, null)).plan().mode())
        .isEqualTo(RenderMode.ANCHORED);
    assertThatThrownBy(() -> plans.plan(request(null, ReviewMode.KEYFRAMES, FLOW)))
        .isInstanceOf(InvalidRequestException.class)
        .extracting(e -> ((InvalidRequestException) e).field())
        .isEqualTo("review");
  }
}
