package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.worker.diffusion.ContextFrames;
import dev.reelfarm.worker.diffusion.FrameNoise;
import dev.reelfarm.worker.diffusion.LatentLayout;
import dev.reelfarm.worker.diffusion.LatentShape;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.TextEncoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders one chunk task end to end with the bundle's ONNX models: text encoding, the denoising
 * loop over the chunk's window (noise seeded per global frame, context frames from the chunks it
 * depends on), VAE decoding.
 */
public final class OnnxChunkRenderer implements ChunkRenderer {
  private final ModelBundle bundle;
  private final ArtifactStore artifacts;
  private final DenoiseLoop loop;
  private final LatentShape shape;

  public OnnxChunkRenderer(ModelBundle bundle, Sampler sampler, ArtifactStore artifacts) {
    this.bundle = bundle;
    this.artifacts = artifacts;
    BundleManifest m = bundle.manifest();
    this.loop = new DenoiseLoop(bundle.denoiser(), sampler, m.conditioning());
    this.shape =
        new LatentShape(LatentLayout.valueOf(m.latentLayout().name()), m.latentChannels(), m.latentFrames(), m.latentHeight(), m.latentWidth());
  }

  @Override
  public LatentShape latentShape() {
    return shape;
  }

  @Override
  public RenderedChunk render(ChunkTask task, DenoiseLoop.StepListener listener) throws Exception {
    BundleManifest m = bundle.manifest();
    if (task.windowFrameIndices().size() != m.framesPerChunk()) {
      throw new PoisonTaskException("chunk window of " + task.windowFrameIndices().size() + " frames, but model " + m.name() + " renders " + m.framesPerChunk(), null);
    }
    long t0 = System.nanoTime();
    TextEncoder.Embedding text = bundle.textEncoder().encode(List.of(task.negativePrompt() == null ? "" : task.negativePrompt(), task.prompt()));
    long t1 = System.nanoTime();
    List<Integer> window = task.windowFrameIndices();
    float[] noise = new FrameNoise(task.seed()).window(shape, window.stream().mapToLong(Integer::longValue).toArray());
    float[] latents = loop.run(noise, context(task, window), text, task.steps(), task.guidanceScale(), listener);
    long t2 = System.nanoTime();
    byte[] frames = bundle.vaeDecoder().decode(latents);
    long t3 = System.nanoTime();
    int[] dims = new int[5];
    long[] d = shape.dimensions();
    for (int i = 0; i < 5; i++) dims[i] = (int) d[i];
    return new RenderedChunk(new LatentFile.Latents(dims, latents), frames, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
  }

  /** Known frames of the window, read from the latents of the chunks this one depends on. */
  private ContextFrames context(ChunkTask task, List<Integer> frames) {
    if (task.context() == null || task.context().isEmpty()) return ContextFrames.none(shape);
    Map<String, float[]> files = new HashMap<>();
    Map<Integer, float[]> known = new HashMap<>();
    for (ChunkTask.ContextFrame frame : task.context()) {
      int index = frames.indexOf(frame.globalFrame());
      if (index < 0) {
        throw new PoisonTaskException("context frame " + frame.globalFrame() + " lies outside the chunk's window", null);
      }
      float[] values =
          files.computeIfAbsent(
              frame.latentsUri(),
              uri -> {
                try {
                  return LatentFile.decode(artifacts.read(uri)).values();
                } catch (RuntimeException e) {
                  throw new PoisonTaskException("context latents " + uri + " unreadable: " + e.getMessage(), e);
                }
              });
      known.put(index, shape.frame(values, frame.indexInArtifact()));
    }
    return ContextFrames.of(shape, known);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
