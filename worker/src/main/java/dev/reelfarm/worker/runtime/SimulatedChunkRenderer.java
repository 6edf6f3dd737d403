package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.diffusion.LatentShape;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the GPU, for benchmarks of everything around it (Kafka, PostgreSQL, dispatcher,
 * events, artifacts, encoder): each denoising step is a sleep of {@code stepMs}, reported to the
 * step listener like a real step (so step events, previews and cancellation work as usual), and the
 * chunk's latents and frames have the bundle's real shapes (zero latents, mid-grey frames). Context
 * latents of the chunks it depends on are read, as a real render reads them. Steps are paced
 * against the start time, so the chunk takes {@code steps × stepMs} whatever each sleep overshoots.
 */
public final class SimulatedChunkRenderer implements ChunkRenderer {
  private final BundleManifest manifest;
  private final ArtifactStore artifacts;
  private final long stepNanos;
  private final LatentShape shape;

  public SimulatedChunkRenderer(BundleManifest manifest, ArtifactStore artifacts, long stepMs) {
    if (stepMs <= 0) throw new IllegalArgumentException("simulated step must be > 0 ms: " + stepMs);
    this.manifest = manifest;
    this.artifacts = artifacts;
    this.stepNanos = TimeUnit.MILLISECONDS.toNanos(stepMs);
    this.shape = ChunkRenderer.latentShape(manifest);
  }

  @Override
  public LatentShape latentShape() {
    return shape;
  }

  @Override
  public RenderedChunk render(ChunkTask task, DenoiseLoop.StepListener listener) throws Exception {
    ChunkRenderer.requireModelWindow(task, manifest);
    long t0 = System.nanoTime();
    ContextLatents.read(task, shape, artifacts); // read like a real render, values unused
    float[] latents = new float[shape.size()];
    for (int step = 1; step <= task.steps(); step++) {
      long sleep = t0 + step * stepNanos - System.nanoTime();
      if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
      listener.onStep(step, task.steps(), latents);
    }
    long t1 = System.nanoTime();
    byte[] frames =
        new byte[manifest.framesPerChunk() * manifest.nativeHeight() * manifest.nativeWidth() * 3];
    Arrays.fill(frames, (byte) 128);
    int[] dims = Arrays.stream(shape.dimensions()).mapToInt(d -> (int) d).toArray();
    return new RenderedChunk(
        new LatentFile.Latents(dims, latents), frames, 0, (t1 - t0) / 1_000_000, 0);
  }
}
