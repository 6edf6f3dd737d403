package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Farm;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.IdleWorker;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Placement;
import dev.reelfarm.schema.bundle.BundleRef;
import java.util.LinkedHashMap;
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

  private static final BundleRef SHAPES = new BundleRef("tiny-shapes", "sha256:aa");
  private static final BundleRef FIXTURE = new BundleRef("tiny-random-bfchw", "sha256:bb");

  /** Chunks named by their model: "shapes-1" is a chunk of a tiny-shapes job. */
  private static BundleRef modelOf(String chunk) {
    return chunk.startsWith("shapes") ? SHAPES : chunk.startsWith("fixture") ? FIXTURE : null;
  }

  private static List<Placement<String>> placeByModel(List<String> ready, Farm farm) {
    return ChunkPlacement.place(ready, farm, c -> null, c -> Set.of(), ChunkPlacementTest::modelOf);
  }

  @Test
  void eachChunkGoesOnlyToAnIdleWorkerThatHasItsModelLoadedInPriorityOrder() {
    var idle =
        List.of(
            new IdleWorker("w-fixture", List.of(5), false, FIXTURE),
            new IdleWorker("w-shapes", List.of(1), false, SHAPES));

    assertThat(
            placeByModel(
                List.of("shapes-1", "fixture-1", "shapes-2"), new Farm(64, 0, 0, true, idle)))
        .containsExactly(
            new Placement<>("shapes-1", 1, "w-shapes"),
            new Placement<>("fixture-1", 5, "w-fixture"));
  }

  @Test
  void aChunkNoIdleWorkerServesWaitsWithoutHoldingUpTheNext() {
    var idle = List.of(new IdleWorker("w-shapes", List.of(1), false, SHAPES));

    assertThat(placeByModel(List.of("fixture-1", "shapes-1"), new Farm(64, 0, 0, true, idle)))
        .containsExactly(new Placement<>("shapes-1", 1, "w-shapes"));
  }

  @Test
  void aWorkerWithAnotherChecksumOfTheNameIsPassedOverAndAnUnknownOneTakesOnlyModellessChunks() {
    var idle =
        List.of(
            new IdleWorker("w-old", List.of(1), false, new BundleRef("tiny-shapes", "sha256:00")),
            new IdleWorker("w-unknown", List.of(2), false, null),
            new IdleWorker("w-name-only", List.of(3), false, new BundleRef("tiny-shapes", null)));

    assertThat(
            placeByModel(List.of("shapes-1", "shapes-2", "any-1"), new Farm(64, 0, 0, true, idle)))
        .as("a worker that reports no checksum matches by name")
        .containsExactly(
            new Placement<>("shapes-1", 3, "w-name-only"), new Placement<>("any-1", 1, "w-old"));
  }

  @Test
  void byKeyAChunkGoesOutOnlyWhenEveryLiveWorkerServesItsModel() {
    var mixed =
        new Farm(64, 0, 2, false, List.of(), Map.of(), java.util.Arrays.asList(SHAPES, FIXTURE));
    var shapesOnly = new Farm(64, 0, 2, false, List.of(), Map.of(), List.of(SHAPES, SHAPES));

    assertThat(placeByModel(List.of("shapes-1", "any-1"), mixed))
        .extracting(Placement::chunk)
        .containsExactly("any-1");
    assertThat(placeByModel(List.of("fixture-1", "shapes-1"), shapesOnly))
        .extracting(Placement::chunk)
        .containsExactly("shapes-1");
  }

  @Test
  void aJobWaitsSayingNoLiveWorkerHasItsModelOrThatThoseWhichHaveItAreQuarantined() {
    var live = new LinkedHashMap<String, BundleRef>();
    live.put("w1", SHAPES);
    live.put("w2", SHAPES);

    assertThat(ChunkPlacement.waitingReason(live, Set.of(), Set.of(), FIXTURE))
        .contains(
            "no live worker has model tiny-random-bfchw (bb) loaded (live workers have"
                + " [tiny-shapes (aa)])");
    assertThat(ChunkPlacement.waitingReason(live, Set.of(), Set.of(), SHAPES)).isEmpty();
    live.put("w3", FIXTURE);
    assertThat(ChunkPlacement.waitingReason(live, Set.of("w3"), Set.of(), FIXTURE))
        .contains(
            "every live worker that has model tiny-random-bfchw (bb) loaded is quarantined [w3]");
    assertThat(ChunkPlacement.waitingReason(live, Set.of("w1"), Set.of(), SHAPES))
        .as("w2 serves it")
        .isEmpty();
  }
}
