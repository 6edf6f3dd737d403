package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Farm;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.IdleWorker;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Placement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

  private static final UUID JOB_A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID JOB_B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  /** Chunks named after their job: "a1" is a chunk of job A. */
  private static UUID jobOf(String chunk) {
    return chunk.startsWith("a") ? JOB_A : JOB_B;
  }

  @Test
  void aQuarantinedWorkerIsGivenNoChunk() {
    var farm =
        new Farm(
            64,
            0,
            2,
            true,
            List.of(new IdleWorker("w1", List.of(3), true), new IdleWorker("w2", List.of(0))));

    assertThat(ChunkPlacement.capacity(farm)).isOne();
    assertThat(ChunkPlacement.place(READY, farm)).containsExactly(new Placement<>("c1", 0, "w2"));
  }

  @Test
  void aWorkerBlocklistedForAJobGetsNoneOfItsChunksButOtherJobsChunks() {
    var farm = new Farm(64, 0, 2, true, TWO_IDLE, Map.of(JOB_A, Set.of("w1")));

    List<Placement<String>> placed =
        ChunkPlacement.place(
            List.of("a1", "a2", "b1"), farm, ChunkPlacementTest::jobOf, c -> Set.of());

    assertThat(placed)
        .as("a2 waits: w2 took a1 and w1 may not take job A's chunks")
        .containsExactly(new Placement<>("a1", 0, "w2"), new Placement<>("b1", 3, "w1"));
  }

  @Test
  void aChunkNoIdleWorkerMayTakeDoesNotHoldUpTheNext() {
    var farm = new Farm(64, 0, 2, true, TWO_IDLE, Map.of(JOB_A, Set.of("w1", "w2")));

    assertThat(
            ChunkPlacement.place(
                List.of("a1", "b1"), farm, ChunkPlacementTest::jobOf, c -> Set.of()))
        .containsExactly(new Placement<>("b1", 3, "w1"));
  }

  @Test
  void aChunkGoesToAWorkerItHasNotFailedOnWhenOneIsIdle() {
    var farm = new Farm(64, 0, 2, true, TWO_IDLE);
    assertThat(
            ChunkPlacement.place(List.of("a1"), farm, ChunkPlacementTest::jobOf, c -> Set.of("w1")))
        .containsExactly(new Placement<>("a1", 0, "w2"));

    var onlyW1 = new Farm(64, 0, 1, true, List.of(new IdleWorker("w1", List.of(3))));
    assertThat(
            ChunkPlacement.place(
                List.of("a1"), onlyW1, ChunkPlacementTest::jobOf, c -> Set.of("w1")))
        .as("failed there once, not blocklisted: it may try again")
        .containsExactly(new Placement<>("a1", 3, "w1"));
  }

  @Test
  void aJobWaitsWithAReasonWhenNoLiveWorkerMayTakeItsChunks() {
    assertThat(ChunkPlacement.waitingReason(List.of(), Set.of(), Set.of()))
        .hasValue("no live worker");
    assertThat(ChunkPlacement.waitingReason(List.of("w1", "w2"), Set.of(), Set.of("w1", "w2")))
        .hasValue(
            "every live worker is blocklisted for this job after failing its chunks [w1, w2]");
    assertThat(ChunkPlacement.waitingReason(List.of("w1", "w2"), Set.of("w2"), Set.of("w1")))
        .hasValue(
            "every live worker is blocklisted for this job after failing its chunks [w1] or"
                + " quarantined [w2]");
    assertThat(ChunkPlacement.waitingReason(List.of("w1", "w2"), Set.of("w2"), Set.of()))
        .as("w1 may take them once idle")
        .isEmpty();
  }

  @Test
  void anIdleWorkerToRouteToOwnsAPartition() {
    assertThatThrownBy(() -> new IdleWorker("w1", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
