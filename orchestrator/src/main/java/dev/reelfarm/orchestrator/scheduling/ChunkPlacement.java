package dev.reelfarm.orchestrator.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which READY chunks go out now, and where. Pure: the dispatcher reads the farm, asks this policy,
 * and applies the answer in one transaction.
 *
 * <p>The farm admits at most {@code maxInFlight} chunks dispatched or running at once. A task keyed
 * by hash would land on whichever worker owns that partition, busy or not, so one job's chunks
 * could queue behind one worker while another idles. Workers report the task partitions they own;
 * each chunk goes to a partition of an idle worker, one chunk per idle worker, and waits (READY)
 * otherwise. Until workers have reported partitions, tasks go by key, at most one per live worker
 * not already busy (at least one, so a farm whose heartbeats are late still makes progress).
 *
 * <p>Failure memory: a quarantined worker gets no chunk, and a worker blocklisted for a job gets
 * none of that job's chunks; a chunk no idle worker may take waits and the next one is tried. A
 * chunk goes to a worker it has not failed on when one is idle (a hung worker looks idle once its
 * chunk is taken from it), else to one it failed on.
 */
public final class ChunkPlacement {

  /**
   * A live worker with no chunk dispatched to it or running, and the task partitions it owns.
   * {@code quarantined}: it failed too many chunks in a row and is not due for a probe.
   */
  public record IdleWorker(String id, List<Integer> partitions, boolean quarantined) {
    public IdleWorker {
      partitions = List.copyOf(partitions);
      if (partitions.isEmpty())
        throw new IllegalArgumentException(
            "an idle worker to route to owns at least one partition");
    }

    public IdleWorker(String id, List<Integer> partitions) {
      this(id, partitions, false);
    }
  }

  /**
   * What the policy needs to know of the farm.
   *
   * @param inFlight chunks DISPATCHED or RUNNING now
   * @param liveWorkers workers heard from recently, with or without partitions
   * @param routable whether any live worker has reported its partitions
   * @param idle live workers with partitions and nothing to do, least recently busy first
   * @param blocklist per job, the workers that failed too many of its chunks
   */
  public record Farm(
      int maxInFlight,
      int inFlight,
      int liveWorkers,
      boolean routable,
      List<IdleWorker> idle,
      Map<UUID, Set<String>> blocklist) {
    public Farm {
      idle = List.copyOf(idle);
      blocklist = Map.copyOf(blocklist);
    }

    public Farm(
        int maxInFlight, int inFlight, int liveWorkers, boolean routable, List<IdleWorker> idle) {
      this(maxInFlight, inFlight, liveWorkers, routable, idle, Map.of());
    }

    /** Idle workers that may be given a chunk at all (not quarantined). */
    public List<IdleWorker> available() {
      return idle.stream().filter(w -> !w.quarantined()).toList();
    }

    boolean blocks(UUID job, String worker) {
      return job != null && blocklist.getOrDefault(job, Set.of()).contains(worker);
    }
  }

  /** Send {@code chunk} to {@code partition}, aimed at {@code workerId}; both null: by key. */
  public record Placement<C>(C chunk, Integer partition, String workerId) {
    public boolean byKey() {
      return partition == null;
    }
  }

  /** How many chunks at most go out now. */
  public static int capacity(Farm farm) {
    int room = farm.maxInFlight() - farm.inFlight();
    if (room <= 0) return 0;
    if (farm.routable()) return Math.min(room, farm.available().size());
    return Math.min(room, Math.max(1, farm.liveWorkers() - farm.inFlight()));
  }

  /** {@link #place(List, Farm, Function, Function)} for chunks without failure memory. */
  public static <C> List<Placement<C>> place(List<C> ready, Farm farm) {
    return place(ready, farm, c -> null, c -> Set.of());
  }

  /**
   * Places the chunks taken ({@code ready}, in priority order): each chunk to the first available
   * idle worker not blocklisted for its job ({@code jobOf}), preferring one the chunk has not
   * failed on ({@code failedOn}), on that worker's first partition; by key when no worker has
   * reported partitions. At most {@link #capacity} chunks are placed; a chunk no worker may take is
   * skipped.
   */
  public static <C> List<Placement<C>> place(
      List<C> ready, Farm farm, Function<C, UUID> jobOf, Function<C, Set<String>> failedOn) {
    int capacity = capacity(farm);
    List<Placement<C>> placements = new ArrayList<>(Math.min(capacity, ready.size()));
    List<IdleWorker> free = new ArrayList<>(farm.available());
    for (C chunk : ready) {
      if (placements.size() == capacity) break;
      if (!farm.routable()) {
        placements.add(new Placement<>(chunk, null, null));
        continue;
      }
      UUID job = jobOf.apply(chunk);
      Set<String> failed = failedOn.apply(chunk);
      List<IdleWorker> allowed = free.stream().filter(w -> !farm.blocks(job, w.id())).toList();
      Optional<IdleWorker> worker =
          allowed.stream()
              .filter(w -> !failed.contains(w.id()))
              .findFirst()
              .or(() -> allowed.stream().findFirst());
      if (worker.isEmpty()) continue;
      free.remove(worker.get());
      placements.add(new Placement<>(chunk, worker.get().partitions().get(0), worker.get().id()));
    }
    return placements;
  }

  /**
   * Why a job's READY chunks cannot be placed on any live worker, or empty when some live worker
   * may take them (they wait only for it to be idle).
   *
   * @param liveWorkers workers heard from recently
   * @param quarantined live workers in quarantine
   * @param blocked workers blocklisted for the job
   */
  public static Optional<String> waitingReason(
      Collection<String> liveWorkers, Set<String> quarantined, Set<String> blocked) {
    if (liveWorkers.isEmpty()) return Optional.of("no live worker");
    if (liveWorkers.stream().allMatch(w -> quarantined.contains(w) || blocked.contains(w))) {
      List<String> blockedLive = liveWorkers.stream().filter(blocked::contains).sorted().toList();
      List<String> quarantinedLive =
          liveWorkers.stream().filter(w -> !blocked.contains(w)).sorted().toList();
      StringBuilder reason = new StringBuilder("every live worker is");
      if (!blockedLive.isEmpty())
        reason.append(" blocklisted for this job after failing its chunks ").append(blockedLive);
      if (!blockedLive.isEmpty() && !quarantinedLive.isEmpty()) reason.append(" or");
      if (!quarantinedLive.isEmpty()) reason.append(" quarantined ").append(quarantinedLive);
      return Optional.of(reason.toString());
    }
    return Optional.empty();
  }

  private ChunkPlacement() {}
}
