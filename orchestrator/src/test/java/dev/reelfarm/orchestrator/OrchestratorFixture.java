package dev.reelfarm.orchestrator;

import dev.reelfarm.orchestrator.lifecycle.BatchProgress;
import dev.reelfarm.orchestrator.lifecycle.ChunkDispatcher;
import dev.reelfarm.orchestrator.lifecycle.ChunkFailures;
import dev.reelfarm.orchestrator.lifecycle.FaultPolicy;
import dev.reelfarm.orchestrator.lifecycle.LeaseSweeper;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.orchestrator.lifecycle.RenderSubmissions;
import dev.reelfarm.orchestrator.metrics.RenderMetrics;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.BatchRepository;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.ChunkRuns;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FailureMemory;
import dev.reelfarm.orchestrator.persistence.IdempotencyKeys;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.LeaseRepository;
import dev.reelfarm.orchestrator.persistence.MetricQueries;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.TeamShares;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.submission.ModelLookup;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.presets.Preset;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The orchestrator's state machine assembled from plain objects on a real (test) PostgreSQL: no
 * Quarkus, no Kafka. Messages the state machine sends stay in the outbox table, where tests read
 * them; the relay is a counter of wake-ups.
 */
public final class OrchestratorFixture {
  /** The default model bundle: 8 fps, 8 frames per chunk, 64×112. */
  public static final BundleFacts MODEL = BundleFacts.read(Path.of("../models/tiny-shapes"));

  /** A second model: the BFCHW fixture, 8 fps, 6 frames per chunk, 48×80. */
  public static final BundleFacts OTHER_MODEL =
      BundleFacts.read(Path.of("../models/fixtures/tiny-random-bfchw"));

  /**
   * The farm's models as a request resolves them: {@link #MODEL} (the default), {@link
   * #OTHER_MODEL}.
   */
  public static final ModelLookup MODELS = ModelLookup.of(MODEL, OTHER_MODEL);

  public static final int STEPS = 10;

  public final Database db;
  public final RenderRepository repo = new RenderRepository();
  public final ChunkRuns runs = new ChunkRuns();
  public final BatchRepository batches = new BatchRepository();
  public final BatchProgress batchProgress;
  public final JobEventLog events;
  public final WorkerRepository workers = new WorkerRepository();
  public final FailureMemory memory = new FailureMemory();
  public final LeaseRepository leases = new LeaseRepository();
  public final MetricQueries metricQueries = new MetricQueries();
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final RenderMetrics metrics = new RenderMetrics(registry);
  public final TeamShares shares = new TeamShares();
  public final AtomicInteger wakeups = new AtomicInteger();
  public final FaultPolicy policy;
  public final ChunkFailures failures;
  public final ChunkDispatcher dispatcher;
  public final RenderLifecycle lifecycle;
  public final LeaseSweeper sweeper;

  /** A message in the outbox. {@code partition} null: sent by key. */
  public record OutboxRow(String topic, String key, String payload, Integer partition) {}

  public OrchestratorFixture(DataSource dataSource, int maxInFlight, int maxAttempts) {
    this(dataSource, maxInFlight, FaultPolicy.defaults(maxAttempts));
  }

  public OrchestratorFixture(DataSource dataSource, int maxInFlight, FaultPolicy policy) {
    this.db = new Database(dataSource);
    this.batchProgress = new BatchProgress(db, batches, repo);
    this.events = new JobEventLog(batchProgress);
    this.policy = policy;
    this.failures = new ChunkFailures(repo, runs, memory, events, policy);
    this.dispatcher =
        new ChunkDispatcher(
            db, repo, runs, workers, memory, maxInFlight, policy, metricQueries, metrics);
    this.lifecycle =
        new RenderLifecycle(
            new RenderLifecycle.Stores(db, repo, runs, events, memory, leases),
            failures,
            wakeups::incrementAndGet,
            MODEL,
            2,
            1,
            policy.leaseSeconds(),
            metrics);
    this.sweeper =
        new LeaseSweeper(
            db,
            repo,
            leases,
            workers,
            memory,
            shares,
            failures,
            wakeups::incrementAndGet,
            policy,
            Duration.ofSeconds(1));
  }

  /**
   * The submission path over this farm, keeping idempotency keys {@code keep}: the production prune
   * period and queued-limit Retry-After.
   */
  public RenderSubmissions submissions(Duration keep) {
    return new RenderSubmissions(
        db,
        lifecycle,
        new IdempotencyKeys(),
        new AuditLog(),
        shares,
        ApiJson.mapper(),
        keep,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  /** {@link #submissions(Duration)} keeping keys a day, the production default. */
  public RenderSubmissions submissions() {
    return submissions(Duration.ofHours(24));
  }

  public static RenderRequest request(double seconds, RenderMode mode, int priority) {
    return RenderRequest.builder("a red circle moving left")
        .durationSeconds(seconds)
        .preset(Preset.TIKTOK)
        .seed(7)
        .steps(STEPS)
        .guidanceScale(3.0)
        .priority(priority)
        .mode(mode)
        .build();
  }

  /** {@link #request} for {@code model}. */
  public static RenderRequest request(
      double seconds, RenderMode mode, int priority, BundleFacts model) {
    return request(seconds, mode, priority).toBuilder().model(model).build();
  }

  /** A heartbeat of a worker that reports its bundle, as workers since issue 16 do. */
  public void heartbeat(String worker, List<Integer> partitions, BundleFacts bundle) {
    beat(
        new WorkerHeartbeat(
            1,
            worker,
            bundle.name() + "@" + bundle.version(),
            "cpu",
            "host",
            1,
            null,
            null,
            partitions,
            0,
            bundle));
  }

  public <T> T inTransaction(Database.Work<T> work) {
    return db.inTransaction(work);
  }

  public JobRow job(UUID id) {
    return db.inTransaction(c -> repo.findJob(c, id, false)).orElseThrow();
  }

  public List<ChunkRow> chunks(UUID jobId) {
    return db.inTransaction(c -> repo.chunks(c, jobId));
  }

  public ChunkRow chunk(UUID jobId, int index) {
    return chunks(jobId).get(index);
  }

  /**
   * Marks a READY chunk DISPATCHED, as the dispatcher does (without choosing a worker); returns its
   * new dispatch epoch (0: it was not READY).
   */
  public int dispatch(ChunkRow chunk) {
    return db.inTransaction(c -> runs.markDispatched(c, chunk.id(), null, policy.leaseSeconds()))
        .orElse(0);
  }

  /** The chunk's latest dispatch epoch. */
  public int epoch(ChunkRow chunk) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT dispatch_epoch FROM chunk WHERE id = ?")) {
            s.setLong(1, chunk.id());
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }

  /** A new run of the chunk's latest dispatch, as a worker echoing the epoch starts it. */
  public UUID start(ChunkRow chunk, String worker) {
    return start(chunk, worker, epoch(chunk));
  }

  /** A new run of dispatch {@code epoch}: returns its run id. */
  public UUID start(ChunkRow chunk, String worker, int epoch) {
    UUID run = UUID.randomUUID();
    lifecycle.onChunkEvent(
        new ChunkEvent.Started(1, chunk.jobId(), chunk.id(), run, worker, STEPS, 0, epoch));
    return run;
  }

  public void complete(ChunkRow chunk, UUID run, String worker) {
    String dir =
        "file:///artifacts/jobs/" + chunk.jobId() + "/chunks/" + chunk.index() + "/run-" + run;
    lifecycle.onChunkEvent(
        new ChunkEvent.Completed(
            1,
            chunk.jobId(),
            chunk.id(),
            run,
            worker,
            STEPS,
            dir + "/frames.rgb",
            dir + "/latents.f32",
            new ChunkEvent.Timings(1, 2, 3),
            0));
  }

  public void fail(ChunkRow chunk, UUID run, String worker, String error) {
    lifecycle.onChunkEvent(
        new ChunkEvent.Failed(1, chunk.jobId(), chunk.id(), run, worker, STEPS, error, 0));
  }

  /** Dispatches, starts and completes a chunk on {@code worker}. */
  public void render(ChunkRow chunk, String worker) {
    dispatch(chunk);
    complete(chunk, start(chunk, worker), worker);
  }

  public void heartbeat(String worker, List<Integer> partitions) {
    heartbeat(worker, partitions, 1);
  }

  /** A heartbeat from process {@code pid} (another pid: the worker restarted). */
  public void heartbeat(String worker, List<Integer> partitions, long pid) {
    beat(
        new WorkerHeartbeat(
            1, worker, "tiny-shapes", "cpu", "host", pid, null, null, partitions, 0));
  }

  /** A heartbeat of a worker that says it is rendering {@code chunk}. */
  public void heartbeat(String worker, List<Integer> partitions, ChunkRow chunk) {
    beat(
        new WorkerHeartbeat(
            1, worker, "tiny-shapes", "cpu", "host", 1, chunk.jobId(), chunk.id(), partitions, 0));
  }

  private void beat(WorkerHeartbeat beat) {
    db.inTransaction(
        c -> {
          workers.upsert(c, beat);
          return null;
        });
  }

  /** The job's event types in sequence order. */
  public List<String> eventTypes(UUID jobId) {
    return db.inTransaction(c -> events.forJob(c, jobId, 0, 1000)).stream()
        .map(JobEventLog.EventRow::type)
        .toList();
  }

  public List<OutboxRow> outbox(Topic<?> topic) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT topic, message_key, payload, partition_no FROM outbox WHERE topic = ? ORDER BY id")) {
            s.setString(1, topic.name());
            List<OutboxRow> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next())
                rows.add(
                    new OutboxRow(
                        r.getString(1), r.getString(2), r.getString(3), (Integer) r.getObject(4)));
            }
            return rows;
          }
        });
  }

  /** Runs a statement outside the state machine (e.g. to age a heartbeat). */
  public void sql(String statement) {
    db.inTransaction(
        c -> {
          try (var s = c.createStatement()) {
            s.execute(statement);
          }
          return null;
        });
  }
}
