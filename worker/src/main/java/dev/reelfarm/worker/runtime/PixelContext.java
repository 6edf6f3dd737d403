package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.worker.diffusion.ContextFrames;
import dev.reelfarm.worker.diffusion.LatentShape;
import dev.reelfarm.worker.model.VaeEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Context for a model whose VAE compresses time (s native frames per latent frame after the first):
 * a latent frame stands for a run of pixel frames, and two windows' latent grids do not line up, so
 * the known pixel frames (a prefix of the window, 1 + s·m frames, as the planner makes them) are
 * read from the frames of the chunks that rendered them and encoded to the window's first 1 + m
 * latent frames by the bundle's VAE encoder.
 */
final class PixelContext {

  private PixelContext() {}

  static ContextFrames encode(
      ChunkTask task,
      LatentShape shape,
      BundleManifest m,
      VaeEncoder encoder,
      ArtifactStore artifacts)
      throws Exception {
    if (task.context() == null || task.context().isEmpty()) return ContextFrames.none(shape);
    List<Integer> window = task.windowFrameIndices();
    ChunkTask.ContextFrame[] byWindowIndex = new ChunkTask.ContextFrame[window.size()];
    for (ChunkTask.ContextFrame frame : task.context()) {
      int index = window.indexOf(frame.globalFrame());
      if (index < 0) {
        throw new PoisonTaskException(
            "context frame " + frame.globalFrame() + " lies outside the chunk's window", null);
      }
      byWindowIndex[index] = frame;
    }
    int known = task.context().size();
    int s = m.vaeTemporalScale();
    List<ChunkTask.ContextFrame> prefix = new ArrayList<>();
    for (int i = 0; i < known; i++) prefix.add(byWindowIndex[i]);
    if (prefix.contains(null) || (known - 1) % s != 0) {
      throw new PoisonTaskException(
          "a VAE with temporal scale "
              + s
              + " conditions on the window's first 1 + "
              + s
              + "·m frames, not on "
              + task.context().stream().map(ChunkTask.ContextFrame::globalFrame).toList(),
          null);
    }
    int frameBytes = m.nativeWidth() * m.nativeHeight() * 3;
    byte[] pixels = new byte[known * frameBytes];
    Map<String, byte[]> files = new HashMap<>();
    for (int i = 0; i < known; i++) {
      ChunkTask.ContextFrame frame = prefix.get(i);
      byte[] frames =
          files.computeIfAbsent(
              ArtifactLayout.framesBesideLatents(frame.latentsUri()),
              uri -> {
                try {
                  return artifacts.read(uri);
                } catch (RuntimeException e) {
                  throw new PoisonTaskException(
                      "context frames " + uri + " unreadable: " + e.getMessage(), e);
                }
              });
      int offset = frame.indexInArtifact() * frameBytes;
      if (offset + frameBytes > frames.length) {
        throw new PoisonTaskException(
            "context frame " + frame.globalFrame() + " is not in its chunk's frames", null);
      }
      System.arraycopy(frames, offset, pixels, i * frameBytes, frameBytes);
    }
    float[] latents = encoder.encode(pixels, known);
    int latentFrames = (known - 1) / s + 1;
    LatentShape encoded =
        new LatentShape(
            shape.layout(), shape.channels(), latentFrames, shape.height(), shape.width());
    Map<Integer, float[]> knownLatents = new HashMap<>();
    for (int f = 0; f < latentFrames; f++) knownLatents.put(f, encoded.frame(latents, f));
    return ContextFrames.of(shape, knownLatents);
  }
}
