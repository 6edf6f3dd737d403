package dev.reelfarm.orchestrator.planning;

import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.RenderMode;
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
 *       them as strided windows (a low-frame-rate pass; a second anchor continues from the first
 *       one's last keyframe, and longer clips get a coarser anchor level first, see {@link
 *       #keyframeAnchors}). Infill chunk i renders frames {@code [i·s, i·s + window)} conditioned
 *       on keyframes i and i+1, and overlaps infill i+1 by {@code overlap} frames; all infills
 *       depend only on anchors, so they run in parallel.
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

  /**
   * Anchored for clips longer than two sequential chunks (parallelism pays), sequential otherwise.
   */
  public RenderMode defaultMode(double durationSeconds, int nativeFps) {
    return sequential(totalFrames(durationSeconds, nativeFps)).chunks().size() > 2
        ? RenderMode.ANCHORED
        : RenderMode.SEQUENTIAL;
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
    chunks.add(
        new PlannedChunk(
            0,
            ChunkRole.WINDOW,
            range(0, window),
            0,
            Math.min(window, total),
            List.of(),
            List.of()));
    for (int k = 1; chunks.get(k - 1).ownedEnd() < total; k++) {
      int start = k * stride;
      int ownedStart = start + contextFrames;
      chunks.add(
          new PlannedChunk(
              k,
              ChunkRole.WINDOW,
              range(start, window),
              ownedStart,
              Math.min(start + window, total),
              List.of(k - 1),
              range(start, contextFrames)));
    }
    return new ChunkPlan(RenderMode.SEQUENTIAL, total, chunks);
  }

  private ChunkPlan anchored(int total) {
    int spacing = window - overlapFrames;
    int segments =
        (total - 1 + spacing - 1) / spacing; // keyframes 0..segments; the last one >= total - 1
    List<PlannedChunk> chunks = new ArrayList<>();
    List<Integer> anchorOfGroup = keyframeAnchors(segments, spacing, total, chunks);
    int perAnchor = window - 1;
    for (int i = 0; i < segments; i++) {
      int start = i * spacing;
      int ownedEnd = i == segments - 1 ? total : Math.min(total, start + spacing);
      // Keyframes i and i+1 both lie in the anchor of group i / perAnchor.
      chunks.add(
          new PlannedChunk(
              chunks.size(),
              ChunkRole.INFILL,
              range(start, window),
              start,
              ownedEnd,
              List.of(anchorOfGroup.get(i / perAnchor)),
              List.of(start, start + spacing)));
    }
    return new ChunkPlan(RenderMode.ANCHORED, total, chunks);
  }

  /**
   * Adds the anchor chunks that render keyframes {@code j·stride}, j = 0..n, to {@code chunks}
   * (coarser levels first, so dependencies keep lower indices). One anchor holds {@code window}
   * keyframes: group g of {@code window − 1} keyframe intervals, keyframes {@code g·(window−1)} to
   * {@code (g+1)·(window−1)}. Up to two groups chain (the second continues from the first's last
   * keyframe); more groups get their boundary keyframes from a coarser anchor level first (NUWA-XL
   * style) and are then each conditioned on both ends, so they render in parallel: a 60 s clip's
   * critical path is 4 chunk-times instead of the 11 a chain of 10 anchors takes.
   *
   * @return per group, the index of the anchor chunk that renders it
   */
  private List<Integer> keyframeAnchors(int n, int stride, int total, List<PlannedChunk> chunks) {
    int perAnchor = window - 1;
    int groups = Math.max(1, (n + perAnchor - 1) / perAnchor);
    List<Integer> coarser =
        groups > 2 ? keyframeAnchors(groups, stride * perAnchor, total, chunks) : null;
    List<Integer> anchors = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      List<Integer> frames =
          IntStream.range(g * perAnchor, g * perAnchor + window).mapToObj(j -> j * stride).toList();
      List<Integer> dependsOn;
      List<Integer> context;
      if (coarser != null) {
        dependsOn = List.of(coarser.get(g / perAnchor)); // it renders both ends of group g
        context = List.of(frames.get(0), frames.get(perAnchor));
      } else {
        dependsOn = g == 0 ? List.of() : List.of(anchors.get(g - 1));
        context = g == 0 ? List.of() : List.of(frames.get(0));
      }
      int empty = Math.min(frames.get(0), total);
      anchors.add(chunks.size());
      chunks.add(
          new PlannedChunk(
              chunks.size(), ChunkRole.ANCHOR, frames, empty, empty, dependsOn, context));
    }
    return anchors;
  }

  private ChunkPlan independent(int total) {
    List<PlannedChunk> chunks = new ArrayList<>();
    for (int k = 0; k * window < total; k++) {
      int start = k * window;
      chunks.add(
          new PlannedChunk(
              k,
              ChunkRole.WINDOW,
              range(start, window),
              start,
              Math.min(start + window, total),
              List.of(),
              List.of()));
    }
    return new ChunkPlan(RenderMode.INDEPENDENT, total, chunks);
  }

  private static List<Integer> range(int start, int count) {
    return IntStream.range(start, start + count).boxed().toList();
  }
}
