package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.worker.diffusion.LatentShape;
import dev.reelfarm.worker.model.ModelBundle;

/**
 * Renders one chunk task: its final latents (later chunks read their context frames from them) and
 * its decoded RGB24 frames. {@link OnnxChunkRenderer} runs the bundle's models; {@link
 * SimulatedChunkRenderer} only sleeps per step (benchmarks of the farm around the GPU).
 */
public interface ChunkRenderer {

  /** The latent shape of one chunk (previews project it to RGB). */
  LatentShape latentShape();

  /**
   * Renders the chunk, telling {@code listener} after every denoising step; a listener that throws
   * (e.g. {@link JobCancelledException}) aborts the render with that exception.
   */
  RenderedChunk render(ChunkTask task, DenoiseLoop.StepListener listener) throws Exception;

  /** The latent shape of one chunk of the bundle {@code m} describes. */
  static LatentShape latentShape(BundleManifest m) {
    return ModelBundle.latentShape(m);
  }

  /**
   * A task whose window is not the model's chunk length, or whose frames are not evenly spaced (the
   * model is told one stride), can never render: poison, not retried.
   *
   * @return the window's frame stride
   */
  static int requireModelWindow(ChunkTask task, BundleManifest m) {
    if (task.windowFrameIndices().size() != m.framesPerChunk()) {
      throw new PoisonTaskException(
          "chunk window of "
              + task.windowFrameIndices().size()
              + " frames, but model "
              + m.name()
              + " renders "
              + m.framesPerChunk(),
          null);
    }
    try {
      return task.frameStride();
    } catch (IllegalArgumentException e) {
      throw new PoisonTaskException(e.getMessage(), e);
    }
  }
}
