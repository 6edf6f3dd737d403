package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Farm;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.IdleWorker;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Placement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlacementTest {
  private static final List<String> READY = List.of("c1", "c2", "c3", "c4", "c5");
  private static final List<IdleWorker> TWO_IDLE =
      List.of(new IdleWorker("w1", List.of(3, 4)), new IdleWorker("w2", List.of(0)));

  @Test
  void eachIdleWorkerGetsOneChunkOnItsFirstPartitionInPriorityOrder() {
    List<Placement<String>> placed =
        ChunkPlacement.place(READY, new Farm(64, 0, 2, true, TWO_IDLE));

    assertThat(placed)
        .containsExactly(new Placement<>("c1", 3, "w1"), new Placement<>("c2", 0, "w2"));
  }

  @Test
  void noIdleWorkerMeansNothingGoesOutWhilePartitionsAreKnown() {
    assertThat(ChunkPlacement.capacity(new Farm(64, 3, 3, true, List.of()))).isZero();
    assertThat(ChunkPlacement.place(READY, new Farm(64, 3, 3, true, List.of()))).isEmpty();
  }

  @Test
  void theInFlightBoundCapsPlacementsBelowTheIdleWorkers() {
    assertThat(ChunkPlacement.place(READY, new Farm(5, 4, 6, true, TWO_IDLE)))
        .extracting(Placement::chunk)
        .containsExactly("c1");
    assertThat(ChunkPlacement.capacity(new Farm(5, 5, 6, true, TWO_IDLE))).isZero();
    assertThat(ChunkPlacement.capacity(new Farm(5, 7, 6, true, TWO_IDLE)))
        .as("over the bound after a config change")
        .isZero();
  }

  @Test
  void withoutPartitionsChunksGoByKeyOnePerLiveWorkerNotBusy() {
    List<Placement<String>> placed =
        ChunkPlacement.place(READY, new Farm(64, 1, 4, false, List.of()));

    assertThat(placed).extracting(Placement::chunk).containsExactly("c1", "c2", "c3");
    assertThat(placed)
        .allSatisfy(
            p -> {
              assertThat(p.byKey()).isTrue();
              assertThat(p.workerId()).isNull();
            });
  }

  @Test
  void withoutPartitionsOneChunkGoesOutEvenWhenNoWorkerIsLive() {
    assertThat(ChunkPlacement.capacity(new Farm(64, 0, 0, false, List.of()))).isOne();
    assertThat(ChunkPlacement.capacity(new Farm(64, 5, 2, false, List.of()))).isOne();
    assertThat(ChunkPlacement.capacity(new Farm(5, 5, 0, false, List.of())))
        .as("but never past the bound")
        .isZero();
  }

  @Test
  void fewerReadyChunksThanCapacityArePlacedAll() {
    assertThat(ChunkPlacement.place(List.of("c1"), new Farm(64, 0, 2, true, TWO_IDLE)))
        .containsExactly(new Placement<>("c1", 3, "w1"));
    assertThat(ChunkPlacement.place(List.<String>of(), new Farm(64, 0, 2, true, TWO_IDLE)))
        .isEmpty();
  }

  @Test
  void anIdleWorkerToRouteToOwnsAPartition() {
    assertThatThrownBy(() -> new IdleWorker("w1", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
