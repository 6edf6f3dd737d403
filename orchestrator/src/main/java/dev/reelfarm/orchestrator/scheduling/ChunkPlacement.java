package dev.reelfarm.orchestrator.scheduling;

import java.util.ArrayList;
import java.util.List;

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
 */
public final class ChunkPlacement {

  /** A live worker with no chunk dispatched to it or running, and the task partitions it owns. */
  public record IdleWorker(String id, List<Integer> partitions) {
    public IdleWorker {
      partitions = List.copyOf(partitions);
      if (partitions.isEmpty())
        throw new IllegalArgumentException(
            "an idle worker to route to owns at least one partition");
    }
  }

  /**
   * What the policy needs to know of the farm.
   *
   * @param inFlight chunks DISPATCHED or RUNNING now
   * @param liveWorkers workers heard from recently, with or without partitions
   * @param routable whether any live worker has reported its partitions
   * @param idle live workers with partitions and nothing to do, least recently busy first
   */
  public record Farm(
      int maxInFlight, int inFlight, int liveWorkers, boolean routable, List<IdleWorker> idle) {
    public Farm {
      idle = List.copyOf(idle);
    }
  }

  /** Send {@code chunk} to {@code partition}, aimed at {@code workerId}; both null: by key. */
  public record Placement<C>(C chunk, Integer partition, String workerId) {
    public boolean byKey() {
      return partition == null;
    }
  }

  /** How many READY chunks (highest priority first) to take now. */
  public static int capacity(Farm farm) {
    int room = farm.maxInFlight() - farm.inFlight();
    if (room <= 0) return 0;
    if (farm.routable()) return Math.min(room, farm.idle().size());
    return Math.min(room, Math.max(1, farm.liveWorkers() - farm.inFlight()));
  }

  /**
   * Places the chunks taken ({@code ready}, in priority order, at most {@link #capacity}): the
   * first chunk to the first idle worker's first partition, and so on; by key when no worker has
   * reported partitions. Chunks beyond the capacity are not placed.
   */
  public static <C> List<Placement<C>> place(List<C> ready, Farm farm) {
    int n = Math.min(ready.size(), capacity(farm));
    List<Placement<C>> placements = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (farm.routable()) {
        IdleWorker worker = farm.idle().get(i);
        placements.add(new Placement<>(ready.get(i), worker.partitions().get(0), worker.id()));
      } else {
        placements.add(new Placement<>(ready.get(i), null, null));
      }
    }
    return placements;
  }

  private ChunkPlacement() {}
}
