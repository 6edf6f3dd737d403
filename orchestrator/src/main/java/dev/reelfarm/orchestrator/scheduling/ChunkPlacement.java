package dev.reelfarm.orchestrator.scheduling;

import dev.reelfarm.schema.bundle.BundleRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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
   * {@code quarantined}: it failed too many chunks in a row and is not due for a probe. {@code
   * loaded}: the bundle it has loaded (null: unknown; it takes only chunks that name no model).
   */
  public record IdleWorker(
      String id, List<Integer> partitions, boolean quarantined, BundleRef loaded) {
    public IdleWorker {
      partitions = List.copyOf(partitions);
      if (partitions.isEmpty())
        throw new IllegalArgumentException(
            "an idle worker to route to owns at least one partition");
    }

    public IdleWorker(String id, List<Integer> partitions, boolean quarantined) {
      this(id, partitions, quarantined, null);
    }

    public IdleWorker(String id, List<Integer> partitions) {
      this(id, partitions, false);
    }

    /** Whether it may render a chunk of a job pinned to {@code wanted} (null: any model). */
    public boolean serves(BundleRef wanted) {
      return ChunkPlacement.serves(loaded, wanted);
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
   * @param liveModels when not routable: the bundle each live worker has loaded (an element null:
   *     unknown), which decides whether a chunk may go by key
   */
  public record Farm(
      int maxInFlight,
      int inFlight,
      int liveWorkers,
      boolean routable,
      List<IdleWorker> idle,
      Map<UUID, Set<String>> blocklist,
      List<BundleRef> liveModels) {
    public Farm {
      idle = List.copyOf(idle);
      blocklist = Map.copyOf(blocklist);
      liveModels = new ArrayList<>(liveModels); // may hold nulls: List.copyOf refuses them
    }

    public Farm(
        int maxInFlight,
        int inFlight,
        int liveWorkers,
        boolean routable,
        List<IdleWorker> idle,
        Map<UUID, Set<String>> blocklist) {
      this(maxInFlight, inFlight, liveWorkers, routable, idle, blocklist, List.of());
    }

    /** This farm with {@code blocklist} as the failure memory. */
    public Farm withBlocklist(Map<UUID, Set<String>> blocklist) {
      return new Farm(maxInFlight, inFlight, liveWorkers, routable, idle, blocklist, liveModels);
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

  /** {@link #place(List, Farm, Function, Function, Function)} for chunks that name no model. */
  public static <C> List<Placement<C>> place(
      List<C> ready, Farm farm, Function<C, UUID> jobOf, Function<C, Set<String>> failedOn) {
    return place(ready, farm, jobOf, failedOn, c -> null);
  }

  /** Whether a worker with {@code loaded} may render a chunk pinned to {@code wanted}. */
  static boolean serves(BundleRef loaded, BundleRef wanted) {
    return wanted == null || (loaded != null && loaded.serves(wanted));
  }

  /**
   * Places the chunks taken ({@code ready}, in priority order): each chunk to the first available
   * idle worker not blocklisted for its job ({@code jobOf}), preferring one the chunk has not
   * failed on ({@code failedOn}) and serving its model ({@code modelOf}, null: any), on that
   * worker's first partition; by key when no worker has reported partitions. At most {@link
   * #capacity} chunks are placed; a chunk no worker may take is skipped.
   */
  public static <C> List<Placement<C>> place(
      List<C> ready,
      Farm farm,
      Function<C, UUID> jobOf,
      Function<C, Set<String>> failedOn,
      Function<C, BundleRef> modelOf) {
    int capacity = capacity(farm);
    List<Placement<C>> placements = new ArrayList<>(Math.min(capacity, ready.size()));
    List<IdleWorker> free = new ArrayList<>(farm.available());
    for (C chunk : ready) {
      if (placements.size() == capacity) break;
      BundleRef model = modelOf.apply(chunk);
      if (!farm.routable()) {
        if (farm.liveModels().stream().allMatch(m -> serves(m, model)))
          placements.add(new Placement<>(chunk, null, null));
        continue;
      }
      UUID job = jobOf.apply(chunk);
      Set<String> failed = failedOn.apply(chunk);
      List<IdleWorker> allowed =
          free.stream().filter(w -> w.serves(model) && !farm.blocks(job, w.id())).toList();
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
   * {@link #waitingReason(Map, Set, Set, BundleRef)} for a job that names no model.
   *
   * @param liveWorkers workers heard from recently
   */
  public static Optional<String> waitingReason(
      Collection<String> liveWorkers, Set<String> quarantined, Set<String> blocked) {
    Map<String, BundleRef> live = new LinkedHashMap<>();
    liveWorkers.forEach(w -> live.put(w, null));
    return waitingReason(live, quarantined, blocked, null);
  }

  /**
   * Why a job's READY chunks cannot be placed on any live worker, or empty when some live worker
   * may take them (they wait only for it to be idle).
   *
   * @param live workers heard from recently, with the bundle each has loaded (null: unknown)
   * @param quarantined live workers in quarantine
   * @param blocked workers blocklisted for the job
   * @param model the bundle the job is pinned to (null: any)
   */
  public static Optional<String> waitingReason(
      Map<String, BundleRef> live, Set<String> quarantined, Set<String> blocked, BundleRef model) {
    if (live.isEmpty()) return Optional.of("no live worker");
    List<String> liveWorkers =
        live.keySet().stream().filter(w -> serves(live.get(w), model)).toList();
    if (liveWorkers.isEmpty()) {
      List<String> loaded =
          live.values().stream()
              .map(m -> m == null ? "unknown" : m.toString())
              .distinct()
              .sorted()
              .toList();
      return Optional.of(
          "no live worker has model " + model + " loaded (live workers have " + loaded + ")");
    }
    if (liveWorkers.stream().allMatch(w -> quarantined.contains(w) || blocked.contains(w))) {
      List<String> blockedLive = liveWorkers.stream().filter(blocked::contains).sorted().toList();
      List<String> quarantinedLive =
          liveWorkers.stream().filter(w -> !blocked.contains(w)).sorted().toList();
      StringBuilder reason =
          new StringBuilder(
              liveWorkers.size() == live.size()
                  ? "every live worker is"
                  : "every live worker that has model " + model + " loaded is");
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
