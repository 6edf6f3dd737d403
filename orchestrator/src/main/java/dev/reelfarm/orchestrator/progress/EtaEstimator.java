package dev.reelfarm.orchestrator.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Estimates a job's remaining time from what it has measured: the seconds per denoising step of
 * its own chunks, the chunk DAG still to run on the live workers (list scheduling, dependencies
 * first) and the encoder's recent speed. Pure: rows in, seconds out.
 */
public final class EtaEstimator {

  /** What the estimator needs of a chunk. {@code dependsOn} holds indices of earlier chunks. */
  public record ChunkState(
      int index, String status, int step, int steps, Instant startedAt, Instant finishedAt, List<Integer> dependsOn) {}

  /**
   * @param encodeSeconds expected encoding time of this job (from recent jobs)
   * @param encodingStartedAt when encoding began, or null if not yet
   * @return seconds left, or null while nothing has been measured yet
   */
  public static Double remainingSeconds(
      List<ChunkState> chunks, int workers, double encodeSeconds, Instant encodingStartedAt, Instant now) {
    if (encodingStartedAt != null) {
      return Math.max(0, encodeSeconds - seconds(encodingStartedAt, now));
    }
    Double stepSeconds = stepSeconds(chunks, now);
    if (stepSeconds == null) return null;
    double[] finish = new double[chunks.size()];
    PriorityQueue<Double> freeAt = new PriorityQueue<>();
    int busy = 0;
    for (ChunkState c : chunks) {
      if (c.status().equals("RUNNING")) {
        finish[c.index()] = Math.max(0, c.steps() - c.step()) * stepSeconds;
        freeAt.add(finish[c.index()]);
        busy++;
      }
    }
    for (int i = busy; i < Math.max(1, workers); i++) freeAt.add(0.0);
    for (ChunkState c : chunks) {
      if (c.status().equals("RUNNING") || c.status().equals("DONE")) continue;
      double ready = 0;
      for (int d : c.dependsOn()) ready = Math.max(ready, finish[d]);
      double start = Math.max(ready, freeAt.poll());
      finish[c.index()] = start + c.steps() * stepSeconds;
      freeAt.add(finish[c.index()]);
    }
    double render = 0;
    for (double f : finish) render = Math.max(render, f);
    return render + encodeSeconds;
  }

  /** Median seconds per step over finished chunks; else the running chunks' pace so far. */
  static Double stepSeconds(List<ChunkState> chunks, Instant now) {
    List<Double> samples = new ArrayList<>();
    for (ChunkState c : chunks) {
      if (c.status().equals("DONE") && c.startedAt() != null && c.finishedAt() != null && c.steps() > 0) {
        samples.add(seconds(c.startedAt(), c.finishedAt()) / c.steps());
      }
    }
    if (samples.isEmpty()) {
      for (ChunkState c : chunks) {
        if (c.status().equals("RUNNING") && c.startedAt() != null && c.step() > 0) samples.add(seconds(c.startedAt(), now) / c.step());
      }
    }
    if (samples.isEmpty()) return null;
    samples.sort(Double::compare);
    return samples.get(samples.size() / 2);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private EtaEstimator() {}
}
