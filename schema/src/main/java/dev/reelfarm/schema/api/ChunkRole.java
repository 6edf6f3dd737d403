package dev.reelfarm.schema.api;

/** What a chunk is for: an ordinary window, a keyframe anchor, or an infill between keyframes. */
public enum ChunkRole {
  WINDOW,
  ANCHOR,
  INFILL
}
