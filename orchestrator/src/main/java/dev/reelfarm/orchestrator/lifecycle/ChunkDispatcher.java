package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.metrics.RenderMetrics;
import dev.reelfarm.orchestrator.persistence.AdvisoryLocks;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.ChunkRuns;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FailureMemory;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.MetricQueries;
import dev.reelfarm.orchestrator.persistence.ModelRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.TeamShares;
import dev.reelfarm.orchestrator.persistence.TeamShares.ReadyChunk;
import dev.reelfarm.orchestrator.persistence.TeamShares.TeamRow;
import dev.reelfarm.orchestrator.persistence.TeamShares.Usage;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Farm;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.IdleWorker;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement.Placement;
import dev.reelfarm.orchestrator.scheduling.ChunkTasks;
import dev.reelfarm.orchestrator.scheduling.FairShare;
import dev.reelfarm.schema.bundle.BundleRef;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Releases READY chunks to the workers as {@link ChunkPlacement} decides, in one transaction: each
 * chunk becomes DISPATCHED under a new dispatch epoch and its task, carrying the epoch, goes to the
 * outbox. READY chunks are shared between teams as {@link FairShare} orders them (inside a team: by
 * job priority, then job age, then the longest remaining critical path, so an anchor that holds up
 * seven infills goes before an infill; a team at its concurrent-chunk cap is passed over), and are
 * locked with SKIP LOCKED so two dispatchers never send one chunk, and under a transaction advisory
 * lock, so two replicas that both believe they lead (a handover) never exceed the in-flight bound.
 * Quarantined workers, workers blocklisted for a job and workers without the job's model loaded are
 * passed over. A rebalance between heartbeat and send only means another worker runs the chunk:
 * fencing makes that safe, and a worker with another model refuses the task.
 */
@ApplicationScoped
public class ChunkDispatcher {
  private final Database db;
  private final RenderRepository repo;
  private final ChunkRuns runs;
  private final WorkerRepository workers;
  private final FailureMemory memory;
  private final TeamShares shares;
  private final int maxInFlight;
  private final FaultPolicy policy;
  private final FairShare.Settings sharing;
  private final MetricQueries queries;
  private final RenderMetrics metrics;
  private final ModelRepository models = new ModelRepository();

  @Inject
  public ChunkDispatcher(
      Database db,
      RenderRepository repo,
      ChunkRuns runs,
      WorkerRepository workers,
      FailureMemory memory,
      TeamShares shares,
      ReelfarmConfig config,
      MetricQueries queries,
      RenderMetrics metrics) {
    this(
        db,
        repo,
        runs,
        workers,
        memory,
        shares,
        config.dispatch().maxInFlight(),
        FaultPolicy.of(config),
        new FairShare.Settings(
            config.scheduling().fairShare(),
            Duration.ofSeconds(config.scheduling().windowSeconds())),
        queries,
        metrics);
  }

  /** With fair share on over the default window. */
  public ChunkDispatcher(
      Database db,
      RenderRepository repo,
      ChunkRuns runs,
      WorkerRepository workers,
      FailureMemory memory,
      int maxInFlight,
      FaultPolicy policy,
      MetricQueries queries,
      RenderMetrics metrics) {
    this(
        db,
        repo,
        runs,
        workers,
        memory,
        new TeamShares(),
        maxInFlight,
        policy,
        FairShare.Settings.DEFAULT,
        queries,
        metrics);
  }

  public ChunkDispatcher(
      Database db,
      RenderRepository repo,
      ChunkRuns runs,
      WorkerRepository workers,
      FailureMemory memory,
      TeamShares shares,
      int maxInFlight,
      FaultPolicy policy,
      FairShare.Settings sharing,
      MetricQueries queries,
      RenderMetrics metrics) {
    this.db = db;
    this.repo = repo;
    this.runs = runs;
    this.workers = workers;
    this.memory = memory;
    this.shares = shares;
    this.maxInFlight = maxInFlight;
    this.policy = policy;
    this.sharing = sharing;
    this.queries = queries;
    this.metrics = metrics;
  }

  /** Dispatches what the bound and the idle workers allow; returns how many chunks went out. */
  public int dispatchReady() {
    long start = System.nanoTime();
    List<Duration> queued = new ArrayList<>();
    int sent = dispatch(queued);
    metrics.dispatchPass(System.nanoTime() - start, queued); // committed: recorded once
    return sent;
  }

  /** One dispatch transaction; {@code queued} gets the queue waits of the chunks it sent. */
  private int dispatch(List<Duration> queued) {
    return db.inTransaction(
        c -> {
          queued.clear();
          AdvisoryLocks.lockDispatch(c);
          Farm farm = farm(c);
          if (ChunkPlacement.capacity(farm) == 0) return 0;
          // More than the capacity: a chunk no idle worker may take must not hold up the next.
          List<ChunkRow> ready = shared(c, farm.maxInFlight() - farm.inFlight());
          Set<UUID> jobs = ready.stream().map(ChunkRow::jobId).collect(Collectors.toSet());
          Map<UUID, Set<String>> blocklist =
              memory.blocklist(c, jobs, policy.workerFailuresPerJob());
          Farm known = farm.withBlocklist(blocklist);
          Map<Long, Set<String>> failedOn =
              memory.failedOn(c, ready.stream().map(ChunkRow::id).toList());
          Map<UUID, BundleRef> jobModels = models.ofJobs(c, jobs);
          List<Placement<ChunkRow>> placements =
              ChunkPlacement.place(
                  ready,
                  known,
                  ChunkRow::jobId,
                  ch -> failedOn.getOrDefault(ch.id(), Set.of()),
                  ch -> jobModels.get(ch.jobId()));
          for (Placement<ChunkRow> p : placements) send(c, p);
          queued.addAll(
              queries.queueWaits(c, placements.stream().map(p -> p.chunk().id()).toList()));
          return placements.size();
        });
  }

  /** Up to {@code room} READY chunks, locked, in the order {@link FairShare} offers them. */
  private List<ChunkRow> shared(Connection c, int room) throws SQLException {
    List<ReadyChunk> ready = shares.lockReadyChunks(c, room);
    if (ready.isEmpty()) return List.of();
    Set<UUID> ids = ready.stream().map(ReadyChunk::team).collect(Collectors.toSet());
    List<TeamRow> rows = shares.teams(c, ids);
    Instant now = rows.get(0).now();
    Instant since =
        FairShare.windowStart(
            now, sharing.window(), rows.stream().map(TeamRow::queuedSince).toList());
    Map<UUID, Usage> usage = sharing.enabled() ? shares.usage(c, ids, since) : Map.of();
    double chunkSeconds =
        FairShare.chunkSeconds(
            sharing.enabled()
                ? shares.meanChunkSeconds(c, now.minus(sharing.window()))
                : Optional.empty());
    List<FairShare.Team> teams =
        rows.stream()
            .map(
                t -> {
                  Usage u = usage.getOrDefault(t.id(), Usage.NONE);
                  return new FairShare.Team(
                      t.id(),
                      t.name(),
                      t.weight(),
                      t.maxConcurrentChunks(),
                      t.inFlight(),
                      u.finishedSeconds(),
                      u.runningSeconds());
                })
            .toList();
    return FairShare.order(ready, ReadyChunk::team, teams, sharing, chunkSeconds, room).stream()
        .map(ReadyChunk::chunk)
        .toList();
  }

  private Farm farm(Connection c) throws SQLException {
    int inFlight = repo.countInFlight(c);
    int live = policy.workerLiveSeconds();
    if (inFlight >= maxInFlight)
      return new Farm(
          maxInFlight, inFlight, 0, false, List.of()); // full: no need to ask about workers
    boolean routable = workers.routable(c, live) > 0;
    if (!routable) {
      List<BundleRef> liveModels = new ArrayList<>(workers.liveModels(c, live).values());
      return new Farm(
          maxInFlight, inFlight, liveModels.size(), false, List.of(), Map.of(), liveModels);
    }
    List<IdleWorker> idle =
        workers.idle(c, live, policy.probeAfterSeconds()).stream()
            .map(w -> new IdleWorker(w.id(), w.partitions(), w.quarantined(), w.loaded()))
            .toList();
    return new Farm(maxInFlight, inFlight, 0, true, idle);
  }

  private void send(Connection c, Placement<ChunkRow> p) throws SQLException {
    ChunkRow chunk = p.chunk();
    int epoch =
        runs.markDispatched(c, chunk.id(), p.workerId(), policy.leaseSeconds())
            .orElseThrow(() -> new IllegalStateException("locked READY chunk is not READY"));
    JobRow job = repo.findJob(c, chunk.jobId(), false).orElseThrow();
    var task = ChunkTasks.chunkTask(job, chunk, repo.chunks(c, job.id()), epoch);
    repo.enqueue(c, Topics.CHUNK_TASKS, Long.toString(chunk.id()), task, p.partition());
  }
}
