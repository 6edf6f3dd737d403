package dev.reelfarm.worker.runtime;

import static java.util.stream.Collectors.toSet;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.diffusion.ContextFrames;
import dev.reelfarm.worker.diffusion.FrameNoise;
import dev.reelfarm.worker.diffusion.LatentShape;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.TextEncoder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders one chunk task end to end with the bundle's ONNX models: text encoding, the denoising
 * loop over the chunk's window (noise seeded per global frame, context frames from the chunks it
 * depends on), VAE decoding.
 */
public final class OnnxChunkRenderer implements ChunkRenderer {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxChunkRenderer.class);

  private final ModelBundle bundle;
  private final AtomicBoolean warnedStrideless = new AtomicBoolean();
  private final ArtifactStore artifacts;
  private final DenoiseLoop loop;
  private final LatentShape shape;

  public OnnxChunkRenderer(ModelBundle bundle, Sampler sampler, ArtifactStore artifacts) {
    this.bundle = bundle;
    this.artifacts = artifacts;
    BundleManifest m = bundle.manifest();
    this.loop = new DenoiseLoop(bundle.denoiser(), sampler, m.conditioning());
    this.shape = ChunkRenderer.latentShape(m);
  }

  @Override
  public LatentShape latentShape() {
    return shape;
  }

  @Override
  public RenderedChunk render(ChunkTask task, DenoiseLoop.StepListener listener) throws Exception {
    int frameStride = ChunkRenderer.requireModelWindow(task, bundle.manifest());
    if (frameStride > 1
        && bundle.manifest().denoiser().frameStrideInput() == null
        && warnedStrideless.compareAndSet(false, true)) {
      LOG.warn(
          "model {} has no frame-stride input: an anchored job's keyframes, {} native frames apart, are drawn as"
              + " consecutive frames, so its motion will be slower than asked (mode=sequential avoids this)",
          bundle.manifest().name(),
          frameStride);
    }
    long t0 = System.nanoTime();
    TextEncoder.Embedding text =
        bundle
            .textEncoder()
            .encode(
                List.of(task.negativePrompt() == null ? "" : task.negativePrompt(), task.prompt()));
    long t1 = System.nanoTime();
    float[] noise = initialNoise(task);
    float[] latents =
        loop.run(
            noise, context(task), text, frameStride, task.steps(), task.guidanceScale(), listener);
    long t2 = System.nanoTime();
    byte[] frames = bundle.vaeDecoder().decode(latents);
    long t3 = System.nanoTime();
    int[] dims = new int[5];
    long[] d = shape.dimensions();
    for (int i = 0; i < 5; i++) dims[i] = (int) d[i];
    return new RenderedChunk(
        new LatentFile.Latents(dims, latents), frames, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2));
  }

  /**
   * The global frame each latent frame's noise is seeded by: its last pixel frame (the first latent
   * frame of a causal video VAE holds the window's first frame alone, each later one s frames), so
   * a latent frame standing for the same pixels in two windows starts from the same noise.
   */
  private long[] latentFrameIndices(ChunkTask task) {
    List<Integer> window = task.windowFrameIndices();
    int s = bundle.manifest().vaeTemporalScale();
    long[] indices = new long[shape.frames()];
    for (int f = 0; f < indices.length; f++) indices[f] = window.get(f * s);
    return indices;
  }

  /**
   * Known frames as latents: the latents of the chunks that rendered them, or, through a VAE that
   * compresses time, their pixels re-encoded ({@link PixelContext}).
   */
  private ContextFrames context(ChunkTask task) throws Exception {
    BundleManifest m = bundle.manifest();
    if (m.vaeTemporalScale() == 1) return ContextLatents.read(task, shape, artifacts);
    return PixelContext.encode(task, shape, m, bundle.vaeEncoder().orElseThrow(), artifacts);
  }

  /**
   * The window's noise, per (seed, latent frame's global frame): the job's seed, or for a
   * re-rendered chunk its own seed on every latent frame but those of its context frames.
   */
  private float[] initialNoise(ChunkTask task) {
    long[] frames = latentFrameIndices(task);
    FrameNoise job = new FrameNoise(task.seed());
    if (task.chunkSeed() == null) return job.window(shape, frames);
    Set<Long> known =
        task.context() == null
            ? Set.of()
            : task.context().stream().map(f -> (long) f.globalFrame()).collect(toSet());
    boolean[] context = new boolean[frames.length];
    for (int f = 0; f < frames.length; f++) context[f] = known.contains(frames[f]);
    return job.window(shape, frames, task.chunkSeed(), context);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
