package dev.reelfarm.orchestrator.progress;

import dev.reelfarm.schema.api.ChunkStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Estimates a job's remaining time from what it has measured: the seconds per denoising step of its
 * own chunks, the gap between a chunk becoming runnable and a worker starting it, the chunk DAG
 * still to run on the live workers (list scheduling, dependencies first) and the farm's recent time
 * from a job's last chunk to its finished video. Pure: rows in, seconds out.
 */
public final class EtaEstimator {
  /** A running chunk's pace counts once it has done this many steps. */
  static final int MIN_STEPS_FOR_PACE = 3;

  /** What the estimator needs of a chunk. {@code dependsOn} holds indices of earlier chunks. */
  public record ChunkState(
      int index,
      ChunkStatus status,
      int step,
      int steps,
      String workerId,
      Instant startedAt,
      Instant finishedAt,
      List<Integer> dependsOn) {}

  /**
   * @param finishSeconds expected time from the last chunk done to the finished video (stitching,
   *     encoding, upload), from recent jobs
   * @param encodingStartedAt when encoding began, or null if not yet
   * @return seconds left, or null while nothing has been measured yet
   */
  public static Double remainingSeconds(
      List<ChunkState> chunks,
      int workers,
      double finishSeconds,
      Instant encodingStartedAt,
      Instant now) {
    if (encodingStartedAt != null) {
      return Math.max(0, finishSeconds - seconds(encodingStartedAt, now));
    }
    Double stepSeconds = stepSeconds(chunks, now);
    if (stepSeconds == null) return null;
    double gap = dispatchGapSeconds(chunks);
    double[] finish = new double[chunks.size()];
    PriorityQueue<Double> freeAt = new PriorityQueue<>();
    int busy = 0;
    for (ChunkState c : chunks) {
      if (c.status() == ChunkStatus.RUNNING) {
        finish[c.index()] = Math.max(0, c.steps() - c.step()) * stepSeconds;
        freeAt.add(finish[c.index()]);
        busy++;
      }
    }
    for (int i = busy; i < Math.max(1, workers); i++) freeAt.add(0.0);
    for (ChunkState c : chunks) {
      if (c.status() == ChunkStatus.RUNNING || c.status() == ChunkStatus.DONE) continue;
      double ready = 0;
      for (int d : c.dependsOn()) ready = Math.max(ready, finish[d]);
      double start = Math.max(ready, freeAt.poll()) + gap;
      finish[c.index()] = start + c.steps() * stepSeconds;
      freeAt.add(finish[c.index()]);
    }
    double render = 0;
    for (double f : finish) render = Math.max(render, f);
    return render + finishSeconds;
  }

  /**
   * Median seconds per step over finished chunks and the pace so far of running chunks past their
   * first steps. Running chunks count because a worker's first chunk of a fresh farm is slow (JIT,
   * first ONNX Runtime runs): on the first job the median of finished chunks alone overestimated
   * the rest by 63 %.
   */
  static Double stepSeconds(List<ChunkState> chunks, Instant now) {
    List<Double> samples = new ArrayList<>();
    for (ChunkState c : chunks) {
      if (c.status() == ChunkStatus.DONE
          && c.startedAt() != null
          && c.finishedAt() != null
          && c.steps() > 0) {
        samples.add(seconds(c.startedAt(), c.finishedAt()) / c.steps());
      } else if (c.status() == ChunkStatus.RUNNING
          && c.startedAt() != null
          && c.step() >= MIN_STEPS_FOR_PACE) {
        samples.add(seconds(c.startedAt(), now) / c.step());
      }
    }
    if (samples.isEmpty()) {
      for (ChunkState c : chunks) {
        if (c.status() == ChunkStatus.RUNNING && c.startedAt() != null && c.step() > 0)
          samples.add(seconds(c.startedAt(), now) / c.step());
      }
    }
    return median(samples);
  }

  /**
   * Median time from the moment a started chunk could run (its dependencies done and its worker's
   * previous chunk of this job done) to its start: outbox relay, Kafka and routing latency, which
   * adds up along a chain of dependent chunks. Zero until measured.
   */
  static double dispatchGapSeconds(List<ChunkState> chunks) {
    ChunkState[] byIndex = new ChunkState[chunks.size()];
    for (ChunkState c : chunks) byIndex[c.index()] = c;
    List<Double> samples = new ArrayList<>();
    for (ChunkState c : chunks) {
      if (c.startedAt() == null || c.dependsOn().isEmpty()) continue;
      Instant ready = null;
      for (int d : c.dependsOn()) {
        Instant done = byIndex[d].finishedAt();
        if (done == null) {
          ready = null;
          break;
        }
        ready = later(ready, done);
      }
      if (ready == null) continue;
      for (ChunkState other : chunks) {
        if (other != c
            && c.workerId() != null
            && c.workerId().equals(other.workerId())
            && other.finishedAt() != null
            && !other.finishedAt().isAfter(c.startedAt())) {
          ready = later(ready, other.finishedAt());
        }
      }
      samples.add(Math.max(0, seconds(ready, c.startedAt())));
    }
    Double gap = median(samples);
    return gap == null ? 0 : gap;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Double median(List<Double> samples) {
    if (samples.isEmpty()) return null;
    samples.sort(Double::compare);
    return samples.get(samples.size() / 2);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private EtaEstimator() {}
}
