package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.metrics.RenderMetrics;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.ChunkRuns;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FailureMemory;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.LeaseRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.persistence.WebhookOutbox;
import dev.reelfarm.orchestrator.planning.ChunkPlan;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.orchestrator.scheduling.ChunkTasks;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderEvent;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job and chunk state machine (ARCHITECTURE.md §6). Every transition is a compare-and-set in
 * PostgreSQL, made in the same transaction as the outbox messages and job events it causes.
 *
 * <p>Job: QUEUED → RUNNING → ENCODING → SUCCEEDED | FAILED | CANCELLED (with a review, RUNNING ⇄
 * AWAITING_APPROVAL: {@link StoryboardGate}, {@link StoryboardDecisions}). Chunk: PENDING → READY →
 * DISPATCHED → RUNNING → DONE | FAILED (| CANCELLED with its job).
 */
@ApplicationScoped
public class RenderLifecycle {
  private static final Logger LOG = Logger.getLogger(RenderLifecycle.class);
  static final String CANCELLED_BY_REQUEST = "cancelled by request";

  private final Database db;
  private final RenderRepository repo;
  private final ChunkRuns runs;
  private final JobEventLog events;
  private final ChunkFailures failures;
  private final FailureMemory memory;
  private final LeaseRepository leases;
  private final Wakeup relay;
  private final RequestPlans plans;
  private final int leaseSeconds;
  private final WebhookOutbox webhooks = new WebhookOutbox();
  private final StoryboardGate storyboard;
  private final RenderMetrics metrics;

  /** The state machine's stores. */
  public record Stores(
      Database db,
      RenderRepository repo,
      ChunkRuns runs,
      JobEventLog events,
      FailureMemory memory,
      LeaseRepository leases) {}

  @Inject
  public RenderLifecycle(
      Database db,
      RenderRepository repo,
      ChunkRuns runs,
      JobEventLog events,
      FailureMemory memory,
      LeaseRepository leases,
      ChunkFailures failures,
      Wakeup relay,
      ModelCatalog models,
      ReelfarmConfig config,
      RenderMetrics metrics) {
    this(
        new Stores(db, repo, runs, events, memory, leases),
        failures,
        relay,
        models.configuredDefault(),
        config.planning().contextFrames(),
        config.planning().overlapFrames(),
        config.chunk().leaseSeconds(),
        metrics);
  }

  /**
   * @param relay woken after a transition that enqueued messages or freed room
   * @param defaultModel the model of a request that names none
   * @param leaseSeconds how long a run's start or step holds its lease
   */
  public RenderLifecycle(
      Stores stores,
      ChunkFailures failures,
      Wakeup relay,
      BundleFacts defaultModel,
      int contextFrames,
      int overlapFrames,
      int leaseSeconds,
      RenderMetrics metrics) {
    this.db = stores.db();
    this.repo = stores.repo();
    this.runs = stores.runs();
    this.events = stores.events();
    this.memory = stores.memory();
    this.leases = stores.leases();
    this.failures = failures;
    this.relay = relay;
    this.plans = new RequestPlans(defaultModel, contextFrames, overlapFrames);
    this.leaseSeconds = leaseSeconds;
    this.metrics = metrics;
    this.storyboard = new StoryboardGate(repo, new ReviewRepository(), events);
  }

  /**
   * Stores a job of the default team and its plan in one transaction; chunks without dependencies
   * become READY.
   */
  public JobRow submit(RenderRequest r) {
    JobRow job = db.inTransaction(c -> submit(c, TeamRepository.DEFAULT_TEAM, r));
    relay.wake();
    return job;
  }

  /**
   * Stores the job and its plan in the caller's transaction (which may claim an idempotency key in
   * the same commit); the caller wakes the relay once it has committed. The plan follows the
   * request's model (its frame rate, size and chunk length), to whose bundle the job is pinned.
   */
  public JobRow submit(Connection c, UUID team, RenderRequest r) throws SQLException {
    RequestPlans.Planned planned = plans.plan(r);
    BundleFacts model = planned.model();
    ChunkPlan plan = planned.plan();
    var spec =
        new JobRow.Spec(
            r.prompt(),
            r.negativePrompt(),
            r.durationSeconds(),
            r.preset().id(),
            r.seed(),
            r.steps(),
            r.guidanceScale(),
            r.priority(),
            plan.mode(),
            model.name(),
            model.nativeFps(),
            model.nativeWidth(),
            model.nativeHeight(),
            plan.totalFrames(),
            r.interpolation(),
            model.version(),
            model.checksum());
    JobRow job =
        new JobRow(UUID.randomUUID(), team, spec, JobRow.State.queued(), JobRow.Result.NONE);
    repo.insertJob(c, job);
    if (r.webhook() != null) webhooks.setJobWebhook(c, job.id(), r.webhook());
    storyboard.open(c, job.id(), r);
    int[] criticalPaths = plan.criticalPaths();
    for (PlannedChunk chunk : plan.chunks()) {
      ChunkStatus status = chunk.dependsOn().isEmpty() ? ChunkStatus.READY : ChunkStatus.PENDING;
      repo.insertChunk(c, job.id(), chunk, status, r.steps(), criticalPaths[chunk.index()]);
    }
    events.append(
        c,
        job.id(),
        (seq, at) ->
            new RenderEvent.Queued(
                job.id(), seq, at, plan.chunks().size(), plan.totalFrames(), plan.mode()));
    LOG.infof(
        "job %s queued: %d frames in %d %s chunks of %s",
        job.id(), plan.totalFrames(), plan.chunks().size(), plan.mode().id(), model.name());
    return job;
  }

  /** Asks the relay to look for work now (after a commit that enqueued messages). */
  public void wakeRelay() {
    relay.wake();
  }

  /** Cancels an open job: its unfinished chunks are CANCELLED and their results will be dropped. */
  public Optional<JobRow> cancel(UUID jobId) {
    Optional<JobRow> result =
        db.inTransaction(
            c -> {
              Optional<JobRow> job = repo.findJob(c, jobId, true);
              if (job.isPresent()
                  && repo.transitionJob(
                      c, jobId, JobStatus.OPEN, JobStatus.CANCELLED, CANCELLED_BY_REQUEST)) {
                repo.cancelOpenChunks(c, jobId);
                events.append(
                    c,
                    jobId,
                    (seq, at) -> new RenderEvent.Cancelled(jobId, seq, at, CANCELLED_BY_REQUEST));
                failures.stopWorkers(c, jobId);
              }
              return repo.findJob(c, jobId, false);
            });
    relay.wake();
    return result;
  }

  /**
   * Applies a worker's report; reports that no longer apply (a superseded or older run, a finished
   * chunk) change nothing, whatever their kind.
   */
  public void onChunkEvent(ChunkEvent e) {
    // Java 17: instanceof patterns over the sealed kinds (a pattern switch needs Java 21).
    ChunkRow[] done = {null}; // the chunk a Completed made DONE, metered once committed
    boolean changed =
        db.inTransaction(
            c -> {
              // The job's row before the chunk's: the order cancel, failures and approvals take
              // them in (job, then its chunks), so a report and a cancel queue on the job instead
              // of deadlocking on each other's rows. Every report appends to the job's event log,
              // which writes the job's row anyway, so this adds no waiting.
              repo.lockJob(c, e.jobId());
              if (e instanceof ChunkEvent.Started started) return started(c, started);
              if (e instanceof ChunkEvent.Step step) return step(c, step);
              if (e instanceof ChunkEvent.Completed completed)
                return (done[0] = completed(c, completed)) != null;
              return failed(c, (ChunkEvent.Failed) e);
            });
    if (changed && e instanceof ChunkEvent.Completed completed)
      metrics.chunkDone(done[0], completed.timings());
    if (changed && !(e instanceof ChunkEvent.Step)) relay.wake();
  }

  private boolean started(Connection c, ChunkEvent.Started e) throws SQLException {
    if (!runs.startRun(
        c, e.chunkId(), e.runId(), e.dispatchEpoch(), e.workerId(), e.steps(), leaseSeconds)) {
      LOG.debugf(
          "chunk %d: start of run %s (epoch %d) by %s ignored (chunk finished, cancelled, run"
              + " known or of an older dispatch)",
          e.chunkId(), e.runId(), e.dispatchEpoch(), e.workerId());
      return false;
    }
    repo.transitionJob(c, e.jobId(), Set.of(JobStatus.QUEUED), JobStatus.RUNNING, null);
    ChunkRow chunk = repo.findChunk(c, e.chunkId()).orElseThrow();
    events.append(
        c,
        e.jobId(),
        (seq, at) ->
            new RenderEvent.ChunkStarted(
                e.jobId(),
                seq,
                at,
                chunk.index(),
                e.workerId(),
                chunk.run().attempt(),
                e.steps(),
                e.runId()));
    return true;
  }

  private boolean step(Connection c, ChunkEvent.Step e) throws SQLException {
    var recorded =
        runs.recordStep(c, e.chunkId(), e.runId(), e.step(), e.previewUri(), leaseSeconds);
    if (recorded.isEmpty()) return false;
    int index = recorded.getAsInt();
    events.append(
        c,
        e.jobId(),
        (seq, at) ->
            new RenderEvent.Step(e.jobId(), seq, at, index, e.step(), e.steps(), e.workerId()));
    if (e.previewUri() != null) {
      String url =
          "/api/v1/renders/" + e.jobId() + "/chunks/" + index + "/preview.png?step=" + e.step();
      events.append(
          c,
          e.jobId(),
          (seq, at) -> new RenderEvent.Preview(e.jobId(), seq, at, index, e.step(), url));
    }
    return true;
  }

  /** The chunk, DONE, or null when the result was dropped. */
  private ChunkRow completed(Connection c, ChunkEvent.Completed e) throws SQLException {
    var t = e.timings();
    // Fencing: only the chunk's current run may complete it. A late result from a superseded run
    // (its worker was presumed dead and the chunk re-ran elsewhere) is dropped on purpose.
    if (!runs.completeRun(
        c,
        e.chunkId(),
        e.runId(),
        e.framesUri(),
        e.latentsUri(),
        t.textMs(),
        t.denoiseMs(),
        t.decodeMs())) {
      LOG.infof(
          "chunk %d: result of run %s from %s dropped (superseded or no longer running)",
          e.chunkId(), e.runId(), e.workerId());
      return null;
    }
    // Two replicas may complete two chunks of one job at once: the job's row, locked first (see
    // onChunkEvent), makes the second see the first's chunk DONE, so exactly one of them releases
    // a dependant of both or starts the encode.
    memory.workerSucceeded(c, e.workerId());
    repo.releaseDependants(c, e.jobId());
    List<ChunkRow> chunks = repo.chunks(c, e.jobId());
    ChunkRow done = chunks.stream().filter(ch -> ch.id() == e.chunkId()).findFirst().orElseThrow();
    events.append(
        c,
        e.jobId(),
        (seq, at) ->
            new RenderEvent.ChunkCompleted(
                e.jobId(),
                seq,
                at,
                done.index(),
                e.workerId(),
                done.run().attempt(),
                t.denoiseMs()));
    storyboard.afterChunkDone(c, e.jobId(), chunks);
    if (chunks.stream().allMatch(ch -> ch.status() == ChunkStatus.DONE)
        && repo.transitionJob(c, e.jobId(), Set.of(JobStatus.RUNNING), JobStatus.ENCODING, null)) {
      JobRow job = repo.findJob(c, e.jobId(), false).orElseThrow();
      repo.enqueue(c, Topics.ENCODE_TASKS, job.id().toString(), ChunkTasks.encodeTask(job, chunks));
      events.append(
          c, job.id(), (seq, at) -> new RenderEvent.Encoding(job.id(), seq, at, chunks.size()));
      LOG.infof("job %s: all %d chunks done, encoding", job.id(), chunks.size());
    } else if (ChunkTasks.extendsFinishedStart(chunks, done)) {
      // The finished start of the clip grew: the encoder can encode it while the rest renders.
      JobRow job = repo.findJob(c, e.jobId(), false).orElseThrow();
      repo.enqueue(c, Topics.ENCODE_TASKS, job.id().toString(), ChunkTasks.encodeTask(job, chunks));
    }
    return done;
  }

  private boolean failed(Connection c, ChunkEvent.Failed e) throws SQLException {
    ChunkRow chunk = repo.findChunk(c, e.chunkId()).orElse(null);
    if (chunk == null || !runs.failRun(c, e.chunkId(), e.runId(), e.error())) return false;
    failures.remember(c, chunk, e.workerId(), e.error());
    return true;
  }

  /** Applies an encoder's report: the video makes the job SUCCEEDED, a failure makes it FAILED. */
  public void onJobEvent(JobEvent e) {
    boolean succeeded =
        db.inTransaction(
            c -> {
              if (e instanceof JobEvent.Encoding) {
                LOG.debugf("job %s: encoder started", e.jobId());
                leases.encodeProgress(c, e.jobId());
              } else if (e instanceof JobEvent.Encoded v) {
                if (repo.recordVideo(
                    c,
                    e.jobId(),
                    v.videoUri(),
                    v.posterUri(),
                    v.sizeBytes(),
                    v.durationSeconds(),
                    v.frames(),
                    v.encodeMs())) {
                  String base = "/api/v1/renders/" + e.jobId();
                  events.append(
                      c,
                      e.jobId(),
                      (seq, at) ->
                          new RenderEvent.Succeeded(
                              e.jobId(),
                              seq,
                              at,
                              base + "/video",
                              base + "/poster.jpg",
                              v.sizeBytes(),
                              v.durationSeconds(),
                              v.frames()));
                  LOG.infof(
                      "job %s succeeded: %s (%d bytes)", e.jobId(), v.videoUri(), v.sizeBytes());
                  return true; // metered once committed
                }
              } else if (e instanceof JobEvent.Failed failed) {
                String reason = "encoding failed: " + failed.error();
                if (repo.transitionJob(
                    c, e.jobId(), Set.of(JobStatus.ENCODING), JobStatus.FAILED, reason)) {
                  events.append(
                      c,
                      e.jobId(),
                      (seq, at) -> new RenderEvent.Failed(e.jobId(), seq, at, reason));
                }
              }
              return false;
            });
    if (succeeded) metrics.jobSucceeded(((JobEvent.Encoded) e).encodeMs());
  }
}
