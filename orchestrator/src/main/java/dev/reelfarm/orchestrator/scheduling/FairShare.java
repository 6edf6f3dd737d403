package dev.reelfarm.orchestrator.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * In which order the teams' READY chunks are offered to {@link ChunkPlacement}: contended workers
 * are shared between the teams with queued work in proportion to their weights. Pure.
 *
 * <p>Lowest weighted usage first: the next chunk is the best queued chunk of the team whose
 * chunk-seconds over the window, divided by its weight, are lowest. A chunk in flight counts its
 * elapsed time but at least one typical chunk (what it will use), and each chunk ordered in a pass
 * adds one typical chunk to its team, so one pass interleaves teams as the passes over time do.
 *
 * <p>No banking: the window is the last {@link Settings#window} but starts no earlier than the
 * moment the most recently arrived contending team began to have work queued (its oldest open job).
 * A team that had nothing queued is not owed the time others used meanwhile; every contending team
 * is measured over the same stretch, so the split over it follows the weights.
 *
 * <p>Inside a team, chunks keep the order they come in (job priority, job age, critical path).
 * Quotas: a team at its concurrent-chunk cap gets nothing more, and its chunks do not take the
 * places of other teams' chunks. Without fair share the chunks go in the order they come in (the
 * farm-wide priority order), caps still applied.
 */
public final class FairShare {
  /** Typical chunk-seconds when the window holds no finished chunk. */
  static final double DEFAULT_CHUNK_SECONDS = 1.0;

  /**
   * @param enabled lowest weighted usage first; off: farm-wide priority order
   * @param window the longest stretch usage is measured over
   */
  public record Settings(boolean enabled, Duration window) {
    public static final Settings DEFAULT = new Settings(true, Duration.ofMinutes(5));
  }

  /**
   * A team with READY chunks, as the window saw it.
   *
   * @param maxConcurrentChunks its cap on chunks in flight; null: none
   * @param inFlight its chunks DISPATCHED or RUNNING now
   * @param finishedSeconds chunk-seconds of its chunks that finished within the window (the part
   *     inside it)
   * @param runningSeconds per chunk in flight, the seconds it has used within the window
   */
  public record Team(
      UUID id,
      String name,
      int weight,
      Integer maxConcurrentChunks,
      int inFlight,
      double finishedSeconds,
      List<Double> runningSeconds) {
    public Team {
      if (weight <= 0) throw new IllegalArgumentException("a team's weight is positive");
      runningSeconds = List.copyOf(runningSeconds);
    }

    /** A team measured only by its chunks in flight (no usage). */
    public static Team idle(UUID id, String name, int weight, Integer cap, int inFlight) {
      return new Team(id, name, weight, cap, inFlight, 0, List.of());
    }

    /** Chunks it may still have dispatched before its cap. */
    public int room() {
      return maxConcurrentChunks == null
          ? Integer.MAX_VALUE
          : Math.max(0, maxConcurrentChunks - inFlight);
    }

    /** Chunk-seconds in the window, a chunk in flight counting at least {@code chunkSeconds}. */
    public double usage(double chunkSeconds) {
      return finishedSeconds
          + runningSeconds.stream().mapToDouble(s -> Math.max(s, chunkSeconds)).sum();
    }
  }

  /**
   * Where the window starts: {@code window} before {@code now}, or later, when the last contending
   * team to have work queued began to (so nobody banks share).
   */
  public static Instant windowStart(Instant now, Duration window, Collection<Instant> queuedSince) {
    Instant start = now.minus(window);
    for (Instant since : queuedSince) if (since != null && since.isAfter(start)) start = since;
    return start.isAfter(now) ? now : start;
  }

  /** The typical chunk-seconds: the window's mean, or a default before any chunk finished. */
  public static double chunkSeconds(Optional<Double> meanFinished) {
    return meanFinished.filter(s -> s > 0).orElse(DEFAULT_CHUNK_SECONDS);
  }

  /**
   * At most {@code limit} of the {@code ready} chunks (in farm-wide priority order) in the order to
   * place them.
   *
   * @param teamOf the team of a chunk; a chunk of a team not in {@code teams} is left out
   * @param chunkSeconds the typical chunk-seconds ({@link #chunkSeconds})
   */
  public static <C> List<C> order(
      List<C> ready,
      Function<C, UUID> teamOf,
      Collection<Team> teams,
      Settings settings,
      double chunkSeconds,
      int limit) {
    Map<UUID, Share> shares = new LinkedHashMap<>();
    for (Team t : teams) shares.put(t.id(), new Share(t, chunkSeconds));
    for (C chunk : ready) {
      Share share = shares.get(teamOf.apply(chunk));
      if (share != null && share.queued.size() < share.room) share.queued.add(chunk);
    }
    List<C> ordered = new ArrayList<>();
    if (!settings.enabled()) {
      for (C chunk : ready) {
        if (ordered.size() == limit) break;
        Share share = shares.get(teamOf.apply(chunk));
        if (share != null && share.queued.peekFirst() == chunk) ordered.add(share.take(0));
      }
      return ordered;
    }
    while (ordered.size() < limit) {
      Share next = null;
      for (Share s : shares.values())
        if (!s.queued.isEmpty() && (next == null || s.before(next))) next = s;
      if (next == null) break;
      ordered.add(next.take(chunkSeconds));
    }
    return ordered;
  }

  /** Why a team's READY chunks wait although workers may be free, or empty: it is at its cap. */
  public static Optional<String> waitingReason(Team team) {
    return team.room() == 0
        ? Optional.of(
            "team " + team.name() + " at its concurrent-chunk limit " + team.maxConcurrentChunks())
        : Optional.empty();
  }

  /** A team's standing while one pass orders chunks. */
  private static final class Share {
    final Team team;
    final Deque<Object> queued = new ArrayDeque<>();
    final int room;
    double usage;
    int inFlight;

    Share(Team team, double chunkSeconds) {
      this.team = team;
      this.room = team.room();
      this.usage = team.usage(chunkSeconds);
      this.inFlight = team.inFlight();
    }

    /** Lower weighted usage first, then fewer chunks in flight per weight; else input order. */
    boolean before(Share other) {
      double mine = usage / team.weight(), theirs = other.usage / other.team.weight();
      if (mine != theirs) return mine < theirs;
      return (double) inFlight / team.weight() < (double) other.inFlight / other.team.weight();
    }

    @SuppressWarnings("unchecked")
    <C> C take(double charge) {
      usage += charge;
      inFlight++;
      return (C) queued.removeFirst();
    }
  }

  private FairShare() {}
}
