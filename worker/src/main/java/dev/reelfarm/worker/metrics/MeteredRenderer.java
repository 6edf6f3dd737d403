package dev.reelfarm.worker.metrics;

import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.diffusion.LatentShape;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.DenoiseLoop;
import dev.reelfarm.worker.runtime.JobCancelledException;
import dev.reelfarm.worker.runtime.RenderedChunk;
import java.util.concurrent.TimeUnit;

/** A renderer whose renders and steps are recorded in {@link WorkerMetrics}. */
final class MeteredRenderer implements ChunkRenderer {
  private final ChunkRenderer renderer;
  private final WorkerMetrics metrics;

  MeteredRenderer(ChunkRenderer renderer, WorkerMetrics metrics) {
    this.renderer = renderer;
    this.metrics = metrics;
  }

  @Override
  public LatentShape latentShape() {
    return renderer.latentShape();
  }

  @Override
  public RenderedChunk render(ChunkTask task, DenoiseLoop.StepListener listener) throws Exception {
    long start = System.nanoTime();
    long[] lastStep = {start};
    RenderedChunk chunk;
    try {
      chunk =
          renderer.render(
              task,
              (step, steps, denoised) -> {
                long now = System.nanoTime();
                if (step > 1) metrics.step.record(now - lastStep[0], TimeUnit.NANOSECONDS);
                lastStep[0] = now;
                listener.onStep(step, steps, denoised);
              });
    } catch (JobCancelledException e) {
      throw e; // the job was cancelled: the render did not fail
    } catch (Exception e) {
      metrics.failed.increment();
      throw e;
    }
    metrics.chunkRender.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    metrics.rendered.increment();
    return chunk;
  }
}
