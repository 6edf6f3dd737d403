package dev.reelfarm.orchestrator.progress;

import static dev.reelfarm.schema.api.ChunkStatus.DISPATCHED;
import static dev.reelfarm.schema.api.ChunkStatus.DONE;
import static dev.reelfarm.schema.api.ChunkStatus.PENDING;
import static dev.reelfarm.schema.api.ChunkStatus.READY;
import static dev.reelfarm.schema.api.ChunkStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.orchestrator.progress.EtaEstimator.ChunkState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtaEstimatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void sequentialChunksAddUpAfterTheRunningOne() {
    // chunk 0 took 10 s for 10 steps (1 s/step); chunk 1 is at step 4/10; chunks 2, 3 wait in a
    // chain.
    List<ChunkState> chunks =
        List.of(
            new ChunkState(0, DONE, 10, 10, "w1", T0, T0.plusSeconds(10), List.of()),
            new ChunkState(1, RUNNING, 4, 10, "w1", T0.plusSeconds(10), null, List.of(0)),
            new ChunkState(2, PENDING, 0, 10, null, null, null, List.of(1)),
            new ChunkState(3, PENDING, 0, 10, null, null, null, List.of(2)));

    assertThat(EtaEstimator.remainingSeconds(chunks, 4, 3.0, null, T0.plusSeconds(14)))
        .isCloseTo(6 + 10 + 10 + 3, within(1e-9));
  }

  @Test
  void independentChunksShareTheWorkers() {
    List<ChunkState> chunks =
        List.of(
            new ChunkState(0, DONE, 10, 10, "w1", T0, T0.plusSeconds(10), List.of()),
            new ChunkState(1, READY, 0, 10, null, null, null, List.of()),
            new ChunkState(2, READY, 0, 10, null, null, null, List.of()),
            new ChunkState(3, READY, 0, 10, null, null, null, List.of()));

    assertThat(EtaEstimator.remainingSeconds(chunks, 3, 0, null, T0.plusSeconds(10)))
        .isCloseTo(10, within(1e-9));
    assertThat(EtaEstimator.remainingSeconds(chunks, 1, 0, null, T0.plusSeconds(10)))
        .isCloseTo(30, within(1e-9));
  }

  @Test
  void dispatchGapMeasuredOnStartedChunksDelaysEveryLaterStart() {
    // chunk 1 started 2 s after chunk 0 (its dependency and its worker's previous chunk) finished;
    // chunk 2 started 1 s after chunk 0; chunk 3 waits on chunk 2.
    List<ChunkState> chunks =
        List.of(
            new ChunkState(0, DONE, 10, 10, "w1", T0, T0.plusSeconds(10), List.of()),
            new ChunkState(
                1, DONE, 10, 10, "w1", T0.plusSeconds(12), T0.plusSeconds(22), List.of(0)),
            new ChunkState(2, RUNNING, 5, 10, "w2", T0.plusSeconds(11), null, List.of(0)),
            new ChunkState(3, PENDING, 0, 10, null, null, null, List.of(2)));

    // gaps 1 s and 2 s: the upper median is 2 s.
    assertThat(EtaEstimator.dispatchGapSeconds(chunks)).isCloseTo(2.0, within(1e-9));
    assertThat(EtaEstimator.remainingSeconds(chunks, 2, 0, null, T0.plusSeconds(16)))
        .isCloseTo(5 + 2 + 10, within(1e-9));
  }

  @Test
  void gapCountsFromTheWorkersPreviousChunkWhenThatFinishedLater() {
    List<ChunkState> chunks =
        List.of(
            new ChunkState(0, DONE, 10, 10, "w1", T0, T0.plusSeconds(10), List.of()),
            new ChunkState(
                1, DONE, 10, 10, "w1", T0.plusSeconds(10), T0.plusSeconds(20), List.of()),
            new ChunkState(2, RUNNING, 1, 10, "w1", T0.plusMillis(20_500), null, List.of(0)));

    assertThat(EtaEstimator.dispatchGapSeconds(chunks)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void runningChunksPaceCountsSoOneSlowFirstChunkDoesNotDecide() {
    // A cold first chunk took 3 s/step; two warm running chunks go at 1 s/step.
    List<ChunkState> chunks =
        List.of(
            new ChunkState(0, DONE, 10, 10, "w1", T0, T0.plusSeconds(30), List.of()),
            new ChunkState(1, RUNNING, 5, 10, "w1", T0.plusSeconds(30), null, List.of(0)),
            new ChunkState(2, RUNNING, 5, 10, "w2", T0.plusSeconds(30), null, List.of(0)));

    assertThat(EtaEstimator.stepSeconds(chunks, T0.plusSeconds(35))).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void nothingMeasuredMeansNoEstimate() {
    List<ChunkState> chunks =
        List.of(new ChunkState(0, DISPATCHED, 0, 10, null, null, null, List.of()));

    assertThat(EtaEstimator.remainingSeconds(chunks, 1, 5, null, T0)).isNull();
  }

  @Test
  void whileEncodingOnlyTheEncodeIsLeft() {
    assertThat(EtaEstimator.remainingSeconds(List.of(), 1, 5, T0, T0.plusSeconds(2)))
        .isCloseTo(3, within(1e-9));
  }
}
