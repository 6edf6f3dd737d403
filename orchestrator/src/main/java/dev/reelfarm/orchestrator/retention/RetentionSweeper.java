package dev.reelfarm.orchestrator.retention;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.leadership.LeaderLoop;
import dev.reelfarm.orchestrator.leadership.Leadership;
import dev.reelfarm.orchestrator.loops.Loops;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RetentionRepository;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Removes what the farm no longer needs, on the leader, in batches: a finished job's intermediate
 * artifacts ({@link Intermediates}) {@code reelfarm.retention.intermediates-hours} after it
 * finished, outbox rows {@code reelfarm.retention.outbox-hours} after they were published, and
 * webhook deliveries with their attempts {@code reelfarm.retention.webhook-delivery-days} after
 * they finished.
 */
@ApplicationScoped
public class RetentionSweeper {
  private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

  /** Outbox and delivery rows are small: this many per job of the batch size go in one DELETE. */
  static final int ROWS_PER_JOB = 100;

  /** How long to keep what, and how much to remove per transaction. */
  public record Policy(
      Duration intermediatesAfter,
      Duration outboxAfter,
      Duration webhookDeliveriesAfter,
      int batchSize) {}

  /** What one sweep removed. */
  public record Removed(int jobs, int outboxRows, int webhookDeliveries) {}

  private final Database db;
  private final RetentionRepository rows;
  private final Intermediates intermediates;
  private final Policy policy;
  private final Duration period;
  private BackgroundLoop loop;

  @Inject
  public RetentionSweeper(
      Database db, RetentionRepository rows, ArtifactStore store, ReelfarmConfig config) {
    this(
        db,
        rows,
        store,
        new Policy(
            Duration.ofHours(config.retention().intermediatesHours()),
            Duration.ofHours(config.retention().outboxHours()),
            Duration.ofDays(config.retention().webhookDeliveryDays()),
            config.retention().batchSize()),
        Duration.ofSeconds(config.retention().periodSeconds()));
  }

  public RetentionSweeper(
      Database db, RetentionRepository rows, ArtifactStore store, Policy policy, Duration period) {
    this.db = db;
    this.rows = rows;
    this.intermediates = new Intermediates(store);
    this.policy = policy;
    this.period = period;
  }

  void start(@Observes StartupEvent ignored, Leadership leadership, Loops loops) {
    loop =
        LeaderLoop.start(
            "retention",
            period,
            leadership::isLeader,
            loops.registerLeaderOnly("retention"),
            this::sweep);
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (loop != null) loop.close();
  }

  /** One round: every batch that is due, until none is left. */
  public Removed sweep() {
    int jobs = 0;
    Batch batch;
    do {
      batch = removeIntermediatesBatch();
      jobs += batch.removed();
      // A batch with failures ends the round: the next one would lock the same jobs again.
    } while (batch.locked() == policy.batchSize() && batch.removed() == batch.locked());
    int outbox = deleteInBatches(rows::deletePublishedOutbox, policy.outboxAfter());
    int deliveries =
        deleteInBatches(rows::deleteFinishedWebhookDeliveries, policy.webhookDeliveriesAfter());
    if (jobs + outbox + deliveries > 0) {
      LOG.infof(
          "retention: removed the intermediates of %d finished jobs, deleted %d published outbox"
              + " rows and %d finished webhook deliveries",
          jobs, outbox, deliveries);
    }
    return new Removed(jobs, outbox, deliveries);
  }

  /** A DELETE of at most {@code limit} rows older than {@code age}, returning how many it took. */
  @FunctionalInterface
  private interface RowDelete {
    int delete(Connection c, Duration age, int limit) throws SQLException;
  }

  /** Runs {@code delete} one transaction per batch until a batch comes back short. */
  private int deleteInBatches(RowDelete delete, Duration age) {
    int batch = policy.batchSize() * ROWS_PER_JOB;
    int total = 0;
    int deleted;
    do {
      deleted = db.inTransaction(c -> delete.delete(c, age, batch));
      total += deleted;
    } while (deleted == batch);
    return total;
  }

  private record Batch(int locked, int removed) {}

  /**
   * Removes the intermediates of one batch of jobs and marks them (a job whose files could not be
   * removed stays unmarked and is tried next round).
   */
  private Batch removeIntermediatesBatch() {
    return db.inTransaction(
        c -> {
          List<UUID> due =
              rows.lockFinishedWithIntermediates(
                  c, policy.intermediatesAfter(), policy.batchSize());
          List<UUID> removed = new ArrayList<>();
          for (UUID job : due) {
            try {
              intermediates.remove(job);
              removed.add(job);
            } catch (RuntimeException e) {
              LOG.warnf("retention: cannot remove the intermediates of job %s: %s", job, e);
            }
          }
          if (!removed.isEmpty()) rows.markIntermediatesRemoved(c, removed);
          return new Batch(due.size(), removed.size());
        });
  }
}
