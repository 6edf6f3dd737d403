package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.leadership.LeaderLoop;
import dev.reelfarm.orchestrator.leadership.Leadership;
import dev.reelfarm.orchestrator.loops.Loops;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FailureMemory;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.LeaseRepository;
import dev.reelfarm.orchestrator.persistence.LeaseRepository.HeldChunk;
import dev.reelfarm.orchestrator.persistence.ModelRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.TeamShares;
import dev.reelfarm.orchestrator.persistence.TeamShares.TeamRow;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository.WorkerRow;
import dev.reelfarm.orchestrator.scheduling.ChunkPlacement;
import dev.reelfarm.orchestrator.scheduling.ChunkTasks;
import dev.reelfarm.orchestrator.scheduling.FairShare;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.bundle.BundleRef;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies the leases and timeouts, each check one transaction, every {@code
 * reelfarm.lease-sweeper.period-ms}: a chunk whose lease lapsed (no start or step event in time)
 * and the chunks of a worker whose heartbeat stopped are released for another worker (a new
 * dispatch epoch fences the old run out; a lost run counts as a failure of its worker); an encode
 * without word from an encoder is sent again; a job whose ready chunks no live worker may take, or
 * whose team is at its concurrent-chunk cap, says why.
 */
@ApplicationScoped
public class LeaseSweeper {
  private static final Logger LOG = Logger.getLogger(LeaseSweeper.class);

  private final Database db;
  private final RenderRepository repo;
  private final LeaseRepository leases;
  private final WorkerRepository workers;
  private final FailureMemory memory;
  private final ModelRepository models = new ModelRepository();
  private final TeamShares shares;
  private final ChunkFailures failures;
  private final Wakeup relay;
  private final FaultPolicy policy;
  private final Duration period;
  private BackgroundLoop loop;

  @Inject
  public LeaseSweeper(
      Database db,
      RenderRepository repo,
      LeaseRepository leases,
      WorkerRepository workers,
      FailureMemory memory,
      TeamShares shares,
      ChunkFailures failures,
      Wakeup relay,
      ReelfarmConfig config) {
    this(
        db,
        repo,
        leases,
        workers,
        memory,
        shares,
        failures,
        relay,
        FaultPolicy.of(config),
        Duration.ofMillis(config.leaseSweeper().periodMs()));
  }

  public LeaseSweeper(
      Database db,
      RenderRepository repo,
      LeaseRepository leases,
      WorkerRepository workers,
      FailureMemory memory,
      TeamShares shares,
      ChunkFailures failures,
      Wakeup relay,
      FaultPolicy policy,
      Duration period) {
    this.db = db;
    this.repo = repo;
    this.leases = leases;
    this.workers = workers;
    this.memory = memory;
    this.shares = shares;
    this.failures = failures;
    this.relay = relay;
    this.policy = policy;
    this.period = period;
  }

  /** Sweeps on the leader only (its checks lock rows, so a second sweeper would only contend). */
  void start(@Observes StartupEvent ignored, Leadership leadership, Loops loops) {
    loop =
        LeaderLoop.start(
            "lease-sweeper",
            period,
            leadership::isLeader,
            loops.registerLeaderOnly("lease-sweeper"),
            () -> sweep(leadership.leadingFor()));
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (loop != null) loop.close();
  }

  /**
   * One round by a leader that has led for {@code ledFor}: the timeouts are judged only once it has
   * caught up with what happened while no orchestrator was reading ({@link FaultPolicy#CATCH_UP}).
   */
  void sweep(Duration ledFor) {
    int released = 0;
    int resent = 0;
    if (policy.mayJudgeLeases(ledFor)) {
      released = expireLeases() + releaseLostWorkers();
      resent = resendStalledEncodes();
    }
    updateWaitingReasons();
    if (released + resent > 0) relay.wake();
  }

  /** Held chunks whose lease lapsed are released; the run is lost, a failure of its worker. */
  public int expireLeases() {
    return db.inTransaction(
        c -> {
          List<HeldChunk> lapsed = leases.lockLapsed(c);
          for (HeldChunk held : lapsed) {
            String error =
                held.chunk().status() == ChunkStatus.RUNNING
                    ? "no progress from " + held.workerId() + " for " + policy.leaseSeconds() + " s"
                    : held.workerId() + " did not start it within " + policy.leaseSeconds() + " s";
            releaseLost(c, held, error);
          }
          return lapsed.size();
        });
  }

  /**
   * Workers whose heartbeat stopped are marked lost: their running chunks are lost runs, their
   * dispatched ones go back to READY.
   */
  public int releaseLostWorkers() {
    return db.inTransaction(
        c -> {
          int released = 0;
          for (String worker : leases.markLostWorkers(c, policy.workerLiveSeconds())) {
            List<HeldChunk> held = leases.lockHeldBy(c, worker);
            LOG.warnf(
                "worker %s lost: no heartbeat for %d s, releasing %d chunks",
                worker, policy.workerLiveSeconds(), held.size());
            for (HeldChunk h : held) {
              if (h.chunk().status() == ChunkStatus.RUNNING) {
                releaseLost(c, h, "worker " + worker + " lost while rendering it");
              } else {
                leases.release(c, h, null);
              }
              released++;
            }
          }
          return released;
        });
  }

  private void releaseLost(Connection c, HeldChunk held, String error) throws SQLException {
    ChunkRow chunk = held.chunk();
    if (!leases.release(c, held, error)) return;
    LOG.warnf("chunk %d (job %s): %s", chunk.id(), chunk.jobId(), error);
    if (held.workerId() != null) failures.remember(c, chunk, held.workerId(), error);
  }

  /** ENCODING jobs without word from an encoder get their complete encode task again. */
  public int resendStalledEncodes() {
    return db.inTransaction(
        c -> {
          List<UUID> stalled = leases.lockStalledEncodes(c, policy.encodeTimeoutSeconds());
          for (UUID jobId : stalled) {
            JobRow job = repo.findJob(c, jobId, false).orElseThrow();
            repo.enqueue(
                c,
                Topics.ENCODE_TASKS,
                jobId.toString(),
                ChunkTasks.encodeTask(job, repo.chunks(c, jobId)));
            leases.encodeProgress(c, jobId);
            LOG.warnf(
                "job %s: no word from an encoder for %d s, encode task sent again",
                jobId, policy.encodeTimeoutSeconds());
          }
          return stalled.size();
        });
  }

  /**
   * Open jobs with READY chunks that no live worker may take (none has the job's model loaded, or
   * all that have it are quarantined or blocklisted), or whose team is at its cap, say why; the
   * others say nothing.
   */
  public void updateWaitingReasons() {
    db.inTransaction(
        c -> {
          List<UUID> jobs = leases.jobsWithReadyChunks(c);
          List<WorkerRow> live = workers.live(c, policy.workerLiveSeconds());
          Map<String, BundleRef> liveModels = new HashMap<>();
          live.forEach(w -> liveModels.put(w.id(), w.loaded()));
          Map<UUID, BundleRef> jobModels = models.ofJobs(c, jobs);
          Set<String> quarantined =
              live.stream()
                  .filter(w -> w.quarantinedAt() != null)
                  .map(WorkerRow::id)
                  .collect(Collectors.toSet());
          Map<UUID, Set<String>> blocklist =
              memory.blocklist(c, jobs, policy.workerFailuresPerJob());
          Map<UUID, TeamRow> teams = shares.teamsOfJobs(c, jobs);
          for (UUID job : jobs) {
            TeamRow t = teams.get(job);
            String reason =
                ChunkPlacement.waitingReason(
                        liveModels,
                        quarantined,
                        blocklist.getOrDefault(job, Set.of()),
                        jobModels.get(job))
                    .or(
                        () ->
                            FairShare.waitingReason(
                                FairShare.Team.idle(
                                    t.id(),
                                    t.name(),
                                    t.weight(),
                                    t.maxConcurrentChunks(),
                                    t.inFlight())))
                    .orElse(null);
            leases.setWaitingReason(c, job, reason);
          }
          leases.clearWaitingReasonsExcept(c, jobs);
          return null;
        });
  }
}
