package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.orchestrator.scheduling.FairShare.Settings;
import dev.reelfarm.orchestrator.scheduling.FairShare.Team;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FairShareTest {
  private static final UUID A = new UUID(0, 1);
  private static final UUID B = new UUID(0, 2);
  private static final UUID C = new UUID(0, 3);
  private static final Settings ON = Settings.DEFAULT;
  private static final Settings OFF = new Settings(false, Duration.ofMinutes(5));

  /** A queued chunk: its team and its place in the farm-wide priority order. */
  record Chunk(UUID team, int rank) {}

  private static List<Chunk> queue(UUID team, int n) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < n; i++) chunks.add(new Chunk(team, i));
    return chunks;
  }

  private static List<Chunk> order(List<Chunk> ready, List<Team> teams, Settings s, int limit) {
    return FairShare.order(ready, Chunk::team, teams, s, 10, limit);
  }

  private static Team team(UUID id, int weight, double finished, List<Double> running) {
    return new Team(
        id, "t" + id.getLeastSignificantBits(), weight, null, running.size(), finished, running);
  }

  @Test
  void aTeamWithNothingUsedGetsTheNextFreeWorker() {
    List<Chunk> ready = new ArrayList<>(queue(A, 50));
    ready.addAll(queue(B, 1));
    List<Team> teams =
        List.of(
            team(A, 1, 2400, List.of(5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0)), team(B, 1, 0, List.of()));

    assertThat(order(ready, teams, ON, 1)).containsExactly(new Chunk(B, 0));
  }

  @Test
  void onePassInterleavesTeamsByWeight() {
    List<Chunk> ready = new ArrayList<>(queue(A, 8));
    ready.addAll(queue(B, 8));
    List<Team> teams = List.of(team(A, 3, 0, List.of()), team(B, 1, 0, List.of()));

    List<Chunk> eight = order(ready, teams, ON, 8);

    assertThat(eight.stream().filter(c -> c.team().equals(A))).hasSize(6);
    assertThat(eight.stream().filter(c -> c.team().equals(B))).hasSize(2);
  }

  @Test
  void insideATeamChunksKeepTheirPriorityOrder() {
    List<Chunk> ready = List.of(new Chunk(A, 0), new Chunk(B, 1), new Chunk(A, 2), new Chunk(A, 3));
    List<Team> teams = List.of(team(A, 1, 0, List.of()), team(B, 1, 500, List.of()));

    assertThat(order(ready, teams, ON, 3))
        .as("B has used more: A's three go first, in their order")
        .containsExactly(new Chunk(A, 0), new Chunk(A, 2), new Chunk(A, 3));
  }

  @Test
  void aTeamAtItsCapGetsNothingAndHoldsNoPlace() {
    List<Chunk> ready = new ArrayList<>(queue(A, 8));
    ready.addAll(queue(B, 8));
    Team capped = new Team(A, "a", 10, 2, 1, 0, List.of(1.0));
    List<Team> teams = List.of(capped, team(B, 1, 900, List.of()));

    List<Chunk> placed = order(ready, teams, ON, 6);

    assertThat(placed.stream().filter(c -> c.team().equals(A))).hasSize(1);
    assertThat(placed).hasSize(6);
    assertThat(FairShare.waitingReason(new Team(A, "a", 1, 2, 2, 0, List.of())))
        .contains("team a at its concurrent-chunk limit 2");
    assertThat(FairShare.waitingReason(capped)).isEmpty();
  }

  @Test
  void withoutFairShareChunksGoInPriorityOrderWithinTheCaps() {
    List<Chunk> ready = List.of(new Chunk(A, 0), new Chunk(A, 1), new Chunk(B, 2), new Chunk(A, 3));
    List<Team> teams = List.of(new Team(A, "a", 1, 2, 0, 0, List.of()), team(B, 9, 0, List.of()));

    assertThat(order(ready, teams, OFF, 4))
        .containsExactly(new Chunk(A, 0), new Chunk(A, 1), new Chunk(B, 2));
  }

  @Test
  void theWindowStartsWhenTheLastContendingTeamBeganToHaveWorkQueued() {
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    Duration window = Duration.ofMinutes(5);

    assertThat(FairShare.windowStart(now, window, List.of(now.minusSeconds(3600))))
        .isEqualTo(now.minus(window));
    assertThat(
            FairShare.windowStart(
                now, window, List.of(now.minusSeconds(3600), now.minusSeconds(20))))
        .isEqualTo(now.minusSeconds(20));
    assertThat(FairShare.chunkSeconds(Optional.empty())).isEqualTo(1.0);
    assertThat(FairShare.chunkSeconds(Optional.of(2.5))).isEqualTo(2.5);
  }

  @Test
  void equalWeightsSplitSaturatedWorkersEvenly() {
    Map<UUID, Double> split = new Farm(8).team(A, 1, 0, 10).team(B, 1, 0, 10).run(1200);

    assertThat(split.get(A)).isCloseTo(0.5, within(0.02));
  }

  @Test
  void threeToOneWeightsSplitThreeToOne() {
    Map<UUID, Double> split = new Farm(8).team(A, 3, 0, 10).team(B, 1, 0, 10).run(1200);

    assertThat(split.get(A)).isCloseTo(0.75, within(0.02));
  }

  @Test
  void threeTeamsShareByWeightEvenWithUnevenChunkLengths() {
    Map<UUID, Double> split =
        new Farm(7).team(A, 1, 0, 4).team(B, 2, 0, 13).team(C, 3, 0, 7).run(1800);

    assertThat(split.get(A)).isCloseTo(1 / 6.0, within(0.02));
    assertThat(split.get(B)).isCloseTo(2 / 6.0, within(0.02));
    assertThat(split.get(C)).isCloseTo(3 / 6.0, within(0.02));
  }

  @Test
  void aTeamThatHadNothingQueuedBanksNoShare() {
    Farm farm = new Farm(8).team(A, 1, 0, 10).team(B, 1, 600, 10);

    Map<UUID, Double> afterB = farm.run(600, 720);

    assertThat(afterB.get(B))
        .as("B's share of the two minutes after it arrived, A having had the farm for ten")
        .isCloseTo(0.5, within(0.05));
  }

  /**
   * Saturated workers fed by {@link FairShare#order}, one simulated second at a time; a chunk of a
   * team takes that team's chunk length.
   */
  static final class Farm {
    record Run(UUID team, double start, double end) {}

    private final int workers;
    private final Map<UUID, Integer> weights = new LinkedHashMap<>();
    private final Map<UUID, Double> arrivals = new HashMap<>();
    private final Map<UUID, Double> lengths = new HashMap<>();
    private final List<Run> runs = new ArrayList<>();

    Farm(int workers) {
      this.workers = workers;
    }

    Farm team(UUID id, int weight, double arrives, double chunkSeconds) {
      weights.put(id, weight);
      arrivals.put(id, arrives);
      lengths.put(id, chunkSeconds);
      return this;
    }

    Map<UUID, Double> run(double until) {
      return run(0, until);
    }

    /** Runs until {@code until}; returns each team's share of chunk-seconds in [from, until). */
    Map<UUID, Double> run(double from, double until) {
      double window = ON.window().toSeconds();
      for (double now = 0; now < until; now += 0.5) {
        double t = now;
        long busy = runs.stream().filter(r -> r.end() > t).count();
        if (busy == workers) continue;
        double start = t - window;
        for (UUID id : weights.keySet())
          if (arrivals.get(id) <= t) start = Math.max(start, arrivals.get(id));
        double ws = start;
        List<Team> teams = new ArrayList<>();
        List<Chunk> ready = new ArrayList<>();
        for (UUID id : weights.keySet()) {
          if (arrivals.get(id) > t) continue;
          List<Run> mine = runs.stream().filter(r -> r.team().equals(id) && r.end() > ws).toList();
          double finished =
              mine.stream()
                  .filter(r -> r.end() <= t)
                  .mapToDouble(r -> r.end() - Math.max(r.start(), ws))
                  .sum();
          List<Double> running =
              mine.stream().filter(r -> r.end() > t).map(r -> t - Math.max(r.start(), ws)).toList();
          teams.add(new Team(id, "t", weights.get(id), null, running.size(), finished, running));
          ready.addAll(queue(id, workers));
        }
        double mean =
            runs.stream()
                .filter(r -> r.end() <= t && r.end() > t - window)
                .mapToDouble(r -> r.end() - r.start())
                .average()
                .orElse(1);
        for (Chunk c : FairShare.order(ready, Chunk::team, teams, ON, mean, (int) (workers - busy)))
          runs.add(new Run(c.team(), t, t + lengths.get(c.team())));
      }
      Map<UUID, Double> used = new HashMap<>();
      for (Run r : runs) {
        double s = Math.max(r.start(), from), e = Math.min(r.end(), until);
        if (e > s) used.merge(r.team(), e - s, Double::sum);
      }
      double total = used.values().stream().mapToDouble(Double::doubleValue).sum();
      Map<UUID, Double> split = new HashMap<>();
      used.forEach((id, s) -> split.put(id, s / total));
      return split;
    }
  }
}
