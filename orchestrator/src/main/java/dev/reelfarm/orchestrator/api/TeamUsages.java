package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.TeamShares;
import dev.reelfarm.orchestrator.persistence.TeamShares.TeamLoad;
import dev.reelfarm.orchestrator.persistence.TeamShares.Usage;
import dev.reelfarm.schema.api.TeamUsageView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The teams' queues, shares and quota use as the dashboard shows them. A share is a team's fraction
 * of all teams' chunk-seconds over the last fair-share window; its fair share is its weight's
 * fraction among the teams with open (queued or running) jobs.
 */
@ApplicationScoped
public class TeamUsages {
  private final Database db;
  private final TeamShares shares;
  private final Duration window;

  @Inject
  public TeamUsages(Database db, TeamShares shares, ReelfarmConfig config) {
    this(db, shares, Duration.ofSeconds(config.scheduling().windowSeconds()));
  }

  public TeamUsages(Database db, TeamShares shares, Duration window) {
    this.db = db;
    this.shares = shares;
    this.window = window;
  }

  /** Every team's usage, by name. */
  public List<TeamUsageView> all() {
    return db.inTransaction(
        c -> {
          List<TeamLoad> loads = shares.loads(c, null);
          if (loads.isEmpty()) return List.of();
          List<UUID> ids = loads.stream().map(TeamLoad::id).toList();
          TeamLoad any = loads.get(0);
          return views(
              loads,
              shares.usage(c, ids, any.now().minus(window)),
              shares.usage(c, ids, any.dayStart()),
              window);
        });
  }

  /** One team's usage (its share measured against every team's). */
  public TeamUsageView of(UUID team) {
    return all().stream().filter(t -> t.id().equals(team)).findFirst().orElseThrow();
  }

  /** The views of {@code loads} given their chunk-seconds over the window and since 00:00 UTC. */
  static List<TeamUsageView> views(
      List<TeamLoad> loads, Map<UUID, Usage> inWindow, Map<UUID, Usage> today, Duration window) {
    double total = inWindow.values().stream().mapToDouble(Usage::total).sum();
    int openWeight =
        loads.stream().filter(TeamUsages::hasOpenJobs).mapToInt(TeamLoad::weight).sum();
    return loads.stream()
        .map(
            t -> {
              double used = inWindow.getOrDefault(t.id(), Usage.NONE).total();
              return new TeamUsageView(
                  t.id(),
                  t.name(),
                  t.weight(),
                  t.queuedJobs(),
                  t.runningJobs(),
                  t.inFlight(),
                  (int) window.toSeconds(),
                  used,
                  total > 0 ? used / total : 0,
                  hasOpenJobs(t) ? (double) t.weight() / openWeight : null,
                  t.maxConcurrentChunks(),
                  t.maxQueuedJobs(),
                  t.gpuSecondsPerDay(),
                  today.getOrDefault(t.id(), Usage.NONE).total());
            })
        .toList();
  }

  private static boolean hasOpenJobs(TeamLoad t) {
    return t.queuedJobs() + t.runningJobs() > 0;
  }
}
