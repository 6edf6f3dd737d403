package dev.reelfarm.orchestrator.metrics;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.MetricQueries;
import dev.reelfarm.orchestrator.persistence.MetricQueries.FarmCounts;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * The farm's state as gauges, from PostgreSQL: jobs and chunks by state, the outbox backlog, the
 * dead letters stored, workers by state and each live worker's heartbeat age. A scrape reads the
 * counts of the latest refresh (every {@link #REFRESH_SECONDS} s, a handful of indexed counts), so
 * scrapes cost the database nothing and a slow database never slows a scrape. Every replica exports
 * the same counts: aggregate them with {@code max}, not {@code sum}.
 */
@ApplicationScoped
public class FarmGauges {
  private static final Logger LOG = Logger.getLogger(FarmGauges.class);

  /** Fresh enough for a dashboard and a scaler; cheap enough for any number of replicas. */
  static final int REFRESH_SECONDS = 5;

  private final Database db;
  private final MetricQueries queries;
  private final int liveSeconds;
  private final MultiGauge heartbeatAges;
  private volatile FarmCounts counts = FarmCounts.EMPTY;
  private ScheduledExecutorService refresher;

  @Inject
  public FarmGauges(
      Database db, MetricQueries queries, MeterRegistry registry, ReelfarmConfig config) {
    this(db, queries, registry, config.workers().liveSeconds());
  }

  public FarmGauges(Database db, MetricQueries queries, MeterRegistry registry, int liveSeconds) {
    this.db = db;
    this.queries = queries;
    this.liveSeconds = liveSeconds;
    for (JobStatus s : JobStatus.values())
      gauge(
          registry,
          "reelfarm.jobs",
          "Jobs by state",
          "state",
          s.name(),
          f -> f.jobs().getOrDefault(s, 0L));
    for (ChunkStatus s : ChunkStatus.values())
      gauge(
          registry,
          "reelfarm.chunks",
          "Chunks by state",
          "state",
          s.name(),
          f -> f.chunks().getOrDefault(s, 0L));
    for (String s : MetricQueries.WORKER_STATES)
      gauge(registry, "reelfarm.workers", "Workers by state", "state", s, f -> f.workers(s));
    Gauge.builder("reelfarm.outbox.backlog", this, g -> g.counts.outboxBacklog())
        .description("Outbox messages not yet published to Kafka")
        .baseUnit("messages")
        .register(registry);
    Gauge.builder("reelfarm.dead.letters", this, g -> g.counts.deadLetters())
        .description("Dead letters stored (records a consumer could not read or apply)")
        .register(registry);
    heartbeatAges =
        MultiGauge.builder("reelfarm.worker.heartbeat.age")
            .description("Seconds since each worker that is not lost last sent a heartbeat")
            .baseUnit("seconds")
            .register(registry);
  }

  void start(@Observes StartupEvent ignored) {
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-refresh");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (refresher != null) refresher.shutdownNow();
  }

  /** Reads the counts now; on a database failure the previous counts stay (and it says so). */
  public void refresh() {
    try {
      FarmCounts latest = db.inTransaction(c -> queries.counts(c, liveSeconds));
      counts = latest;
      heartbeatAges.register(
          latest.workers().stream()
              .filter(w -> !w.state().equals("lost"))
              .map(
                  w ->
                      MultiGauge.Row.of(
                          Tags.of("worker", w.id()),
                          w,
                          MetricQueries.WorkerState::heartbeatAgeSeconds))
              .toList(),
          true);
    } catch (RuntimeException e) {
      LOG.debugf("metrics: counts not refreshed: %s", e.toString());
    }
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      String tag,
      String value,
      ToDoubleFunction<FarmCounts> read) {
    Gauge.builder(name, this, g -> read.applyAsDouble(g.counts))
        .description(description)
        .tag(tag, value)
        .register(registry);
  }
}
