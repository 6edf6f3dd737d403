package dev.reelfarm.orchestrator.planning;

import dev.reelfarm.orchestrator.planning.PlannedChunk.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a clip into chunks at the model's native frame rate. Pure: no I/O, no framework. Every
 * chunk has the model's full window (the model is trained on that length); a window may run past
 * the clip's end, and its surplus frames are simply not owned.
 *
 * <ul>
 *   <li><b>sequential</b>: chunk k's window starts {@code contextFrames} before its owned range;
 *       those frames are the last frames of chunk k−1, already rendered, and condition the rest.
 *   <li><b>anchored</b>: keyframes every {@code s = window − overlap} frames. Anchor chunks render
 *       them as strided windows (a low-frame-rate pass; each anchor after the first continues from
 *       the previous one's last keyframe). Infill chunk i renders frames {@code [i·s, i·s + window)}
 *       conditioned on keyframes i and i+1, and overlaps infill i+1 by {@code overlap} frames; all
 *       infills depend only on anchors, so they run in parallel.
 *   <li><b>independent</b>: back-to-back windows with no conditioning (a baseline).
 * </ul>
 */
public final class ChunkPlanner {
  private final int window;
  private final int contextFrames;
  private final int overlapFrames;

  /**
   * @param window the model's native chunk length, e.g. 8
   * @param contextFrames frames shared with the previous chunk in sequential mode (0 < c < window)
   * @param overlapFrames frames neighbouring infill chunks share in anchored mode (1 = only the
   *     keyframe between them; more are cross-faded by the encoder)
   */
  public ChunkPlanner(int window, int contextFrames, int overlapFrames) {
    if (window < 3) throw new IllegalArgumentException("a chunk window needs at least 3 frames");
    if (contextFrames < 1 || contextFrames >= window) {
      throw new IllegalArgumentException("contextFrames must be within 1.." + (window - 1));
    }
    if (overlapFrames < 1 || overlapFrames > window - 2) {
      throw new IllegalArgumentException("overlapFrames must be within 1.." + (window - 2));
    }
    this.window = window;
    this.contextFrames = contextFrames;
    this.overlapFrames = overlapFrames;
  }

  /** Native frames for a clip: every started frame period counts. */
  public static int totalFrames(double durationSeconds, int nativeFps) {
    return (int) Math.ceil(durationSeconds * nativeFps - 1e-9);
  }

  /** Anchored for clips longer than two sequential chunks (parallelism pays), sequential otherwise. */
  public RenderMode defaultMode(double durationSeconds, int nativeFps) {
    return sequential(totalFrames(durationSeconds, nativeFps)).chunks().size() > 2 ? RenderMode.ANCHORED : RenderMode.SEQUENTIAL;
  }

  public ChunkPlan plan(double durationSeconds, int nativeFps, RenderMode mode) {
    int total = totalFrames(durationSeconds, nativeFps);
    if (total < 1) throw new IllegalArgumentException("a clip needs at least one frame");
    return switch (mode) {
      case SEQUENTIAL -> sequential(total);
      case ANCHORED -> total > window ? anchored(total) : sequential(total);
      case INDEPENDENT -> independent(total);
    };
  }

  private ChunkPlan sequential(int total) {
    int stride = window - contextFrames;
    List<PlannedChunk> chunks = new ArrayList<>();
    chunks.add(new PlannedChunk(0, Role.WINDOW, range(0, window), 0, Math.min(window, total), List.of(), List.of()));
    for (int k = 1; chunks.get(k - 1).ownedEnd() < total; k++) {
      int start = k * stride;
      int ownedStart = start + contextFrames;
      chunks.add(
          new PlannedChunk(
              k, Role.WINDOW, range(start, window), ownedStart, Math.min(start + window, total), List.of(k - 1), range(start, contextFrames)));
    }
    return new ChunkPlan(RenderMode.SEQUENTIAL, total, chunks);
  }

  private ChunkPlan anchored(int total) {
    int spacing = window - overlapFrames;
    int segments = (total - 1 + spacing - 1) / spacing; // keyframes 0..segments; the last one >= total - 1
    int perAnchor = window - 1; // new keyframes per anchor: each anchor after the first re-uses one
    int anchors = Math.max(1, (segments + perAnchor - 1) / perAnchor);
    List<PlannedChunk> chunks = new ArrayList<>();
    for (int a = 0; a < anchors; a++) {
      int firstKeyframe = a * perAnchor;
      List<Integer> frames = IntStream.range(firstKeyframe, firstKeyframe + window).mapToObj(j -> j * spacing).toList();
      int empty = Math.min(frames.get(0), total);
      chunks.add(
          new PlannedChunk(
              a, Role.ANCHOR, frames, empty, empty, a == 0 ? List.of() : List.of(a - 1), a == 0 ? List.of() : List.of(frames.get(0))));
    }
    for (int i = 0; i < segments; i++) {
      int start = i * spacing;
      int ownedEnd = i == segments - 1 ? total : Math.min(total, start + spacing);
      List<Integer> dependsOn = IntStream.of(anchorOf(i), anchorOf(i + 1)).distinct().boxed().toList();
      chunks.add(
          new PlannedChunk(
              anchors + i, Role.INFILL, range(start, window), start, ownedEnd, dependsOn, List.of(start, start + spacing)));
    }
    return new ChunkPlan(RenderMode.ANCHORED, total, chunks);
  }

  /** The anchor that renders keyframe {@code j} (a boundary keyframe belongs to the earlier anchor). */
  private int anchorOf(int keyframe) {
    return keyframe == 0 ? 0 : (keyframe - 1) / (window - 1);
  }

  private ChunkPlan independent(int total) {
    List<PlannedChunk> chunks = new ArrayList<>();
    for (int k = 0; k * window < total; k++) {
      int start = k * window;
      chunks.add(new PlannedChunk(k, Role.WINDOW, range(start, window), start, Math.min(start + window, total), List.of(), List.of()));
    }
    return new ChunkPlan(RenderMode.INDEPENDENT, total, chunks);
  }

  private static List<Integer> range(int start, int count) {
    return IntStream.range(start, start + count).boxed().toList();
  }
}
