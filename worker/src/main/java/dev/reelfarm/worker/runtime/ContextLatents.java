package dev.reelfarm.worker.runtime;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.worker.diffusion.ContextFrames;
import dev.reelfarm.worker.diffusion.LatentShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a chunk task's known frames from the latents of the chunks it depends on. */
final class ContextLatents {

  /**
   * The task's context frames, each latents file read once. A frame outside the window or an
   * unreadable file can never render: poison.
   */
  static ContextFrames read(ChunkTask task, LatentShape shape, ArtifactStore artifacts) {
    if (task.context() == null || task.context().isEmpty()) return ContextFrames.none(shape);
    List<Integer> window = task.windowFrameIndices();
    Map<String, float[]> files = new HashMap<>();
    Map<Integer, float[]> known = new HashMap<>();
    for (ChunkTask.ContextFrame frame : task.context()) {
      int index = window.indexOf(frame.globalFrame());
      if (index < 0) {
        throw new PoisonTaskException(
            "context frame " + frame.globalFrame() + " lies outside the chunk's window", null);
      }
      float[] values =
          files.computeIfAbsent(
              frame.latentsUri(),
              uri -> {
                try {
                  return LatentFile.decode(artifacts.read(uri)).values();
                } catch (RuntimeException e) {
                  throw new PoisonTaskException(
                      "context latents " + uri + " unreadable: " + e.getMessage(), e);
                }
              });
      known.put(index, shape.frame(values, frame.indexInArtifact()));
    }
    return ContextFrames.of(shape, known);
  }

  private ContextLatents() {}
}
