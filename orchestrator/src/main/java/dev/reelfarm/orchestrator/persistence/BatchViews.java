package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.BatchStatus;
import dev.reelfarm.schema.api.BatchView;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.SequenceStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A batch and its shots' jobs as the API shows them (and {@code batch.completed} sends them). The
 * status is the final one once recorded, else aggregated from the shots now ({@link BatchStatus}).
 */
public final class BatchViews {

  /** The batch's status from its row and its shots' jobs. */
  public static BatchStatus status(BatchRow batch, List<JobRow> shots) {
    if (batch.finalStatus() != null) return batch.finalStatus();
    return BatchStatus.of(
        shots.stream().map(JobRow::status).toList(), batch.isSequence(), batch.sequence().status());
  }

  public static BatchView of(BatchRow batch, List<JobRow> shots) {
    String self = "/api/v1/batches/" + batch.id();
    String video = batch.isSequence() ? self + "/video" : null;
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) counts.put(s, 0);
    List<BatchView.Shot> views =
        shots.stream()
            .map(
                job -> {
                  counts.merge(job.status(), 1, Integer::sum);
                  return new BatchView.Shot(
                      shots.indexOf(job),
                      job.id(),
                      job.status(),
                      job.spec().prompt(),
                      job.spec().durationSeconds(),
                      job.spec().preset(),
                      Long.toString(job.spec().seed()),
                      job.result().videoFrames(),
                      "/api/v1/renders/" + job.id());
                })
            .toList();
    BatchRow.Sequence seq = batch.sequence();
    BatchView.Sequence sequence =
        seq.status() == null
            ? null
            : new BatchView.Sequence(
                seq.status(),
                seq.status() == SequenceStatus.SUCCEEDED ? video : null,
                seq.sizeBytes(),
                seq.frames(),
                seq.durationSeconds(),
                seq.encodeMs(),
                seq.shotStarts(),
                seq.transitionFrames(),
                seq.error());
    return new BatchView(
        batch.id(),
        status(batch, shots),
        batch.deliver(),
        batch.transition(),
        batch.transitionSeconds(),
        counts,
        views,
        sequence,
        batch.createdAt(),
        batch.finishedAt(),
        new BatchView.Links(self, video));
  }

  private BatchViews() {}
}
