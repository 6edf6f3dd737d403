package dev.reelfarm.orchestrator.loops;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The orchestrator's background loops by name, for the health checks. */
@ApplicationScoped
public class Loops {
  private final Map<String, LoopHealth> loops = new ConcurrentSkipListMap<>();

  private final Map<String, Boolean> leaderOnly = new ConcurrentSkipListMap<>();

  /** The health of a new loop called {@code name} that runs on every replica. */
  public LoopHealth register(String name) {
    return register(name, false);
  }

  /**
   * The health of a loop whose rounds run on the leader only: on a follower only its thread counts
   * (its latest failure may be from before it stopped leading).
   */
  public LoopHealth registerLeaderOnly(String name) {
    return register(name, true);
  }

  private LoopHealth register(String name, boolean onLeaderOnly) {
    LoopHealth health = new LoopHealth(name, Backoff.LOOPS, Clock.systemUTC());
    loops.put(name, health);
    leaderOnly.put(name, onLeaderOnly);
    return health;
  }

  /** Every loop's state as this replica sees it ({@code leading}: whether it leads now). */
  public List<LoopHealth.Status> statuses(boolean leading) {
    return loops.values().stream()
        .map(LoopHealth::status)
        .map(s -> leading || !leaderOnly.get(s.name()) || !s.running() ? s : s.asFollower())
        .toList();
  }
}
