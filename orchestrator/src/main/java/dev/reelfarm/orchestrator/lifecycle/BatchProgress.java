package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.persistence.BatchRepository;
import dev.reelfarm.orchestrator.persistence.BatchRow;
import dev.reelfarm.orchestrator.persistence.BatchViews;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.WebhookOutbox;
import dev.reelfarm.orchestrator.scheduling.ChunkTasks;
import dev.reelfarm.schema.api.BatchStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.ShotTransition;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.SequenceEvent;
import dev.reelfarm.schema.messages.SequenceTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.presets.Preset;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A batch's way to its final status, in the transactions of the changes that move it: a shot's
 * terminal event (whichever path finished the job: {@link JobEventLog.Finished}), the encoder's
 * sequence report, a cancel. Each evaluation locks the batch row (after the shot's job row, the
 * order every path takes), so of two shots finishing at once exactly one sees them both finished:
 * it starts the sequence encode (a sequence whose shots all succeeded) or records the final status
 * and its {@code batch.completed} deliveries, once. A shot of a finished sequence that succeeds
 * again (one of its chunks was re-rendered) opens the batch again, and the sequence is encoded anew
 * from the shots' current frames.
 */
@ApplicationScoped
public class BatchProgress implements JobEventLog.Finished {
  private static final Logger LOG = Logger.getLogger(BatchProgress.class);

  private final Database db;
  private final BatchRepository batches;
  private final RenderRepository repo;
  private final WebhookOutbox webhooks = new WebhookOutbox();

  @Inject
  public BatchProgress(Database db, BatchRepository batches, RenderRepository repo) {
    this.db = db;
    this.batches = batches;
    this.repo = repo;
  }

  @Override
  public void jobFinished(Connection c, UUID jobId) throws SQLException {
    var batch = batches.batchOf(c, jobId);
    if (batch.isEmpty()) return;
    if (repo.findJob(c, jobId, false).orElseThrow().status() == JobStatus.SUCCEEDED
        && batches.reopenSequence(c, batch.get()))
      LOG.infof("batch %s: shot %s rendered again, encoding the sequence anew", batch.get(), jobId);
    evaluate(c, batch.get());
  }

  /** Applies an encoder's report on a sequence; a late or repeated one changes nothing. */
  public void onSequenceEvent(SequenceEvent e) {
    db.inTransaction(
        c -> {
          if (batches.find(c, e.batchId(), true).isEmpty()) return null;
          boolean applied =
              e instanceof SequenceEvent.Encoded v
                  ? batches.recordSequence(c, v)
                  : batches.failSequence(c, e.batchId(), ((SequenceEvent.Failed) e).error());
          if (applied) {
            LOG.infof("batch %s: sequence %s", e.batchId(), e.getClass().getSimpleName());
            evaluate(c, e.batchId());
          } else {
            LOG.debugf("batch %s: sequence report dropped (not encoding)", e.batchId());
          }
          return null;
        });
  }

  /**
   * Takes the batch as far as its shots allow: the sequence encode is enqueued once every shot has
   * succeeded (unless the batch was cancelled), and a final status is recorded once.
   */
  public void evaluate(Connection c, UUID batchId) throws SQLException {
    BatchRow batch = batches.find(c, batchId, true).orElseThrow();
    if (batch.finalStatus() != null) return;
    List<JobRow> shots = batches.shots(c, batchId);
    if (batch.isSequence()
        && batch.sequence().status() == null
        && shots.stream().allMatch(j -> j.status() == JobStatus.SUCCEEDED)
        && batches.startSequence(c, batchId)) {
      repo.enqueue(c, Topics.SEQUENCE_TASKS, batchId.toString(), sequenceTask(c, batch, shots));
      LOG.infof("batch %s: all %d shots succeeded, encoding the sequence", batchId, shots.size());
      batch = batches.find(c, batchId, false).orElseThrow();
    }
    BatchStatus status = BatchViews.status(batch, shots);
    if (status.isFinal() && batches.finish(c, batchId, status)) {
      batch = batches.find(c, batchId, false).orElseThrow();
      webhooks.onBatchCompleted(c, batch, BatchViews.of(batch, shots));
      LOG.infof("batch %s finished: %s", batchId, status);
    }
  }

  private SequenceTask sequenceTask(Connection c, BatchRow batch, List<JobRow> shots)
      throws SQLException {
    List<EncodeTask> tasks = new ArrayList<>();
    for (JobRow shot : shots) tasks.add(ChunkTasks.encodeTask(shot, repo.chunks(c, shot.id())));
    Preset preset = Preset.parse(shots.get(0).spec().preset());
    boolean dissolve = batch.transition() == ShotTransition.DISSOLVE;
    int frames = dissolve ? (int) Math.round(batch.transitionSeconds() * preset.fps()) : 0;
    return new SequenceTask(
        SequenceTask.SCHEMA_VERSION,
        batch.id(),
        preset.id(),
        (dissolve ? ShotTransition.DISSOLVE : ShotTransition.CUT).id(),
        frames,
        ArtifactLayout.batchOutputPrefix(batch.id()),
        tasks);
  }
}
