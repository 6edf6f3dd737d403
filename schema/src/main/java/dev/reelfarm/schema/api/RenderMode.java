package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a job's chunks depend on each other. On the wire (JSON, database) by its lower-case {@link
 * #id()}.
 */
public enum RenderMode {
  /**
   * Chunk k is conditioned on the last frames of chunk k−1: consistent, no parallelism in a job.
   */
  SEQUENTIAL,
  /**
   * Keyframes first, then everything in parallel: anchor chunks render one keyframe at every chunk
   * boundary (a low-frame-rate pass over the clip), then every infill chunk renders the frames
   * between two keyframes, conditioned on both, on whichever worker is free.
   */
  ANCHORED,
  /** No conditioning between chunks: parallel, with visible seams. A measured baseline only. */
  INDEPENDENT;

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RenderMode> find(String name) {
    return Arrays.stream(values()).filter(m -> m.id().equalsIgnoreCase(name.trim())).findFirst();
  }
}
