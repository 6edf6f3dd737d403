package dev.reelfarm.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.lifecycle.ChunkDispatcher;
import dev.reelfarm.orchestrator.lifecycle.ChunkFailures;
import dev.reelfarm.orchestrator.lifecycle.FaultPolicy;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.orchestrator.metrics.RenderMetrics;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.ChunkRuns;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.FailureMemory;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.LeaseRepository;
import dev.reelfarm.orchestrator.persistence.MetricQueries;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.presets.Preset;
import dev.reelfarm.testing.WithPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The KEDA trigger's query, as the chart renders it, on the real schema holding work queued by the
 * orchestrator's own state machine and dispatcher (no Quarkus, no Kafka: messages stay in the
 * outbox).
 */
@WithPostgres
class ScalerQueryTest {
  private static final BundleFacts MODEL =
      BundleFacts.of(BundleManifest.read(Path.of("../../models/tiny-shapes")), null);
  private static final int STEPS = 10;
  private static final Set<ChunkStatus> WANTING_A_WORKER =
      EnumSet.of(ChunkStatus.READY, ChunkStatus.DISPATCHED, ChunkStatus.RUNNING);

  private final RenderRepository repo = new RenderRepository();
  private final WorkerRepository workers = new WorkerRepository();

  @Test
  void renderedQueryCountsTheChunksWaitingForOrHoldingAWorker(DataSource dataSource)
      throws SQLException {
    Database db = new Database(dataSource);
    FaultPolicy policy = FaultPolicy.defaults(3);
    ChunkRuns runs = new ChunkRuns();
    FailureMemory memory = new FailureMemory();
    JobEventLog events = new JobEventLog();
    RenderMetrics metrics = new RenderMetrics(new SimpleMeterRegistry());
    RenderLifecycle lifecycle =
        new RenderLifecycle(
            new RenderLifecycle.Stores(db, repo, runs, events, memory, new LeaseRepository()),
            new ChunkFailures(repo, runs, memory, events, policy),
            () -> {},
            MODEL,
            2,
            1,
            policy.leaseSeconds(),
            metrics);
    ChunkDispatcher dispatcher =
        new ChunkDispatcher(
            db, repo, runs, workers, memory, 64, policy, new MetricQueries(), metrics);

    UUID anchored = lifecycle.submit(request(12, RenderMode.ANCHORED)).id();
    UUID independent = lifecycle.submit(request(4, RenderMode.INDEPENDENT)).id();
    UUID cancelled = lifecycle.submit(request(4, RenderMode.SEQUENTIAL)).id();
    lifecycle.cancel(cancelled);
    // Two idle workers get one chunk each; worker-a renders its chunk, worker-b starts its own,
    // and worker-a, idle again, is sent a chunk it has not started yet.
    heartbeat(db, "worker-a", 0);
    heartbeat(db, "worker-b", 1);
    assertThat(dispatcher.dispatchReady()).isEqualTo(2);
    ChunkRow first = dispatchedTo(db, List.of(anchored, independent), "worker-a");
    UUID run = start(lifecycle, db, first, "worker-a");
    complete(lifecycle, db, first, run, "worker-a");
    start(lifecycle, db, dispatchedTo(db, List.of(anchored, independent), "worker-b"), "worker-b");
    assertThat(dispatcher.dispatchReady()).isEqualTo(1);

    List<ChunkRow> chunks =
        db.inTransaction(
            c ->
                Stream.of(anchored, independent, cancelled)
                    .flatMap(job -> chunks(c, job).stream())
                    .toList());
    Set<ChunkStatus> present =
        chunks.stream().map(ch -> ch.run().status()).collect(Collectors.toSet());
    // Every state the query must count, and those it must not, are on the farm.
    assertThat(present)
        .contains(
            ChunkStatus.PENDING,
            ChunkStatus.READY,
            ChunkStatus.DISPATCHED,
            ChunkStatus.RUNNING,
            ChunkStatus.DONE,
            ChunkStatus.CANCELLED);
    long wanting =
        chunks.stream().filter(ch -> WANTING_A_WORKER.contains(ch.run().status())).count();

    String query =
        RenderedChart.render()
            .get("ScaledObject", RenderedChart.RELEASE + "-reelfarm-worker")
            .at("/spec/triggers/0/metadata/query")
            .asText();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(query)) {
      assertThat(r.next()).isTrue();
      assertThat(r.getLong(1)).isEqualTo(wanting).isGreaterThan(2);
      assertThat(r.next()).as("one row, one number").isFalse();
    }
  }

  private static RenderRequest request(double seconds, RenderMode mode) {
    return RenderRequest.builder("a red circle moving left")
        .durationSeconds(seconds)
        .preset(Preset.TIKTOK)
        .seed(7)
        .steps(STEPS)
        .guidanceScale(3.0)
        .mode(mode)
        .build();
  }

  private List<ChunkRow> chunks(Connection c, UUID job) {
    try {
      return repo.chunks(c, job);
    } catch (SQLException e) {
      throw new Database.PersistenceException(e);
    }
  }

  private void heartbeat(Database db, String worker, int partition) {
    db.inTransaction(
        c -> {
          workers.upsert(
              c,
              new WorkerHeartbeat(
                  1, worker, MODEL.name(), "cpu", "host", 1, null, null, List.of(partition), 0));
          return null;
        });
  }

  /** The chunk the dispatcher sent to {@code worker} (its target) that has not started yet. */
  private ChunkRow dispatchedTo(Database db, List<UUID> jobs, String worker) {
    long id =
        db.inTransaction(
            c -> {
              try (var s =
                  c.prepareStatement(
                      "SELECT id FROM chunk WHERE status = 'DISPATCHED' AND target_worker = ?")) {
                s.setString(1, worker);
                try (ResultSet r = s.executeQuery()) {
                  if (!r.next()) throw new AssertionError("no chunk dispatched to " + worker);
                  return r.getLong(1);
                }
              }
            });
    return db
        .inTransaction(c -> jobs.stream().flatMap(job -> chunks(c, job).stream()).toList())
        .stream()
        .filter(ch -> ch.id() == id)
        .findFirst()
        .orElseThrow();
  }

  /** The chunk's latest dispatch epoch, which a worker echoes in its events. */
  private static int epoch(Database db, ChunkRow chunk) {
    return db.inTransaction(
        c -> {
          try (var s = c.prepareStatement("SELECT dispatch_epoch FROM chunk WHERE id = ?")) {
            s.setLong(1, chunk.id());
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }

  private static UUID start(RenderLifecycle lifecycle, Database db, ChunkRow chunk, String worker) {
    UUID run = UUID.randomUUID();
    lifecycle.onChunkEvent(
        new ChunkEvent.Started(
            1, chunk.jobId(), chunk.id(), run, worker, STEPS, 0, epoch(db, chunk)));
    return run;
  }

  private static void complete(
      RenderLifecycle lifecycle, Database db, ChunkRow chunk, UUID run, String worker) {
    String dir = "file:///artifacts/jobs/" + chunk.jobId() + "/chunks/" + chunk.plan().index();
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
            0,
            epoch(db, chunk)));
  }
}
