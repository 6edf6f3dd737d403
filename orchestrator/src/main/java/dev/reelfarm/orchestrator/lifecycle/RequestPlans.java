package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.planning.ChunkPlan;
import dev.reelfarm.orchestrator.planning.ChunkPlanner;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.bundle.BundleFacts;

/**
 * How a request is planned: with the facts of the model it names (or the farm's default), in the
 * mode it asks for or the planner chooses (anchored when it wants a storyboard review), never in a
 * strided keyframe pass through a VAE that compresses time. Pure.
 */
final class RequestPlans {
  private final BundleFacts defaultModel;
  private final int contextFrames;
  private final int overlapFrames;

  /** A request's model and the plan made with it. */
  record Planned(BundleFacts model, ChunkPlan plan) {}

  RequestPlans(BundleFacts defaultModel, int contextFrames, int overlapFrames) {
    this.defaultModel = defaultModel;
    this.contextFrames = contextFrames;
    this.overlapFrames = overlapFrames;
  }

  /**
   * @throws dev.reelfarm.orchestrator.submission.InvalidRequestException a review of a plan without
   *     keyframes
   */
  Planned plan(RenderRequest r) {
    BundleFacts model = r.model() != null ? r.model() : defaultModel;
    var planner =
        new ChunkPlanner(
            model.framesPerChunk(), model.contextFramesFor(contextFrames), overlapFrames);
    RenderMode asked =
        StoryboardGate.mode(r, planner.defaultMode(r.durationSeconds(), model.nativeFps()));
    // A VAE that compresses time encodes runs of consecutive frames: no strided keyframe pass.
    RenderMode mode =
        asked == RenderMode.ANCHORED && !model.keyframePlans() ? RenderMode.SEQUENTIAL : asked;
    ChunkPlan plan = planner.plan(r.durationSeconds(), model.nativeFps(), mode);
    StoryboardGate.requireKeyframes(r, plan, model.framesPerChunk(), model.nativeFps());
    return new Planned(model, plan);
  }
}
