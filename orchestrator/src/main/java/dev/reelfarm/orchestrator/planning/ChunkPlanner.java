package dev.reelfarm.orchestrator.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a clip into chunks at the model's native frame rate. Pure: no I/O, no framework.
 *
 * <p>Sequential chunks overlap by {@code contextFrames}: the first frames of chunk k's window are
 * the last frames of chunk k−1, already rendered, and condition the rest. Every chunk has the
 * model's full window (the model is trained on that length); the last window may run past the
 * clip's end and its surplus frames are simply not owned.
 */
public final class ChunkPlanner {
  private final int framesPerChunk;
  private final int contextFrames;

  /**
   * @param framesPerChunk the model's native window, e.g. 8
   * @param contextFrames frames shared with the previous chunk in sequential mode (0 < c < window)
   */
  public ChunkPlanner(int framesPerChunk, int contextFrames) {
    if (framesPerChunk < 2) throw new IllegalArgumentException("framesPerChunk must be >= 2");
    if (contextFrames < 1 || contextFrames >= framesPerChunk) {
      throw new IllegalArgumentException("contextFrames must be within 1.." + (framesPerChunk - 1));
    }
    this.framesPerChunk = framesPerChunk;
    this.contextFrames = contextFrames;
  }

  /** Native frames for a clip: every started frame period counts. */
  public static int totalFrames(double durationSeconds, int nativeFps) {
    return (int) Math.ceil(durationSeconds * nativeFps - 1e-9);
  }

  public ChunkPlan plan(double durationSeconds, int nativeFps, RenderMode mode) {
    int total = totalFrames(durationSeconds, nativeFps);
    if (total < 1) throw new IllegalArgumentException("a clip needs at least one frame");
    return switch (mode) {
      case SEQUENTIAL -> sequential(total);
      case INDEPENDENT -> independent(total);
    };
  }

  private ChunkPlan sequential(int total) {
    int stride = framesPerChunk - contextFrames;
    List<PlannedChunk> chunks = new ArrayList<>();
    chunks.add(new PlannedChunk(0, 0, framesPerChunk, 0, Math.min(framesPerChunk, total), List.of(), List.of()));
    for (int k = 1; chunks.get(k - 1).ownedEnd() < total; k++) {
      int windowStart = k * stride;
      int ownedStart = windowStart + contextFrames;
      List<Integer> context = IntStream.range(windowStart, ownedStart).boxed().toList();
      chunks.add(
          new PlannedChunk(
              k, windowStart, framesPerChunk, ownedStart, Math.min(windowStart + framesPerChunk, total), List.of(k - 1), context));
    }
    return new ChunkPlan(RenderMode.SEQUENTIAL, total, chunks);
  }

  private ChunkPlan independent(int total) {
    List<PlannedChunk> chunks = new ArrayList<>();
    for (int k = 0; k * framesPerChunk < total; k++) {
      int start = k * framesPerChunk;
      chunks.add(
          new PlannedChunk(k, start, framesPerChunk, start, Math.min(start + framesPerChunk, total), List.of(), List.of()));
    }
    return new ChunkPlan(RenderMode.INDEPENDENT, total, chunks);
  }
}
