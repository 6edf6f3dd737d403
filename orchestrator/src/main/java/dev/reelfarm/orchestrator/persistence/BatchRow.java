package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.BatchDelivery;
import dev.reelfarm.schema.api.BatchStatus;
import dev.reelfarm.schema.api.SequenceStatus;
import dev.reelfarm.schema.api.ShotTransition;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code render_batch}: whose it is, what it delivers, its sequence encode (null fields
 * until there is one) and, once final, its final status.
 */
public record BatchRow(
    UUID id,
    UUID teamId,
    BatchDelivery deliver,
    ShotTransition transition,
    Double transitionSeconds,
    int shotCount,
    String webhookUrl,
    Instant cancelRequestedAt,
    Sequence sequence,
    BatchStatus finalStatus,
    Instant createdAt,
    Instant finishedAt) {

  /** The sequence encode; every field but {@code status} null until the video exists. */
  public record Sequence(
      SequenceStatus status,
      String error,
      String videoUri,
      Long sizeBytes,
      Integer frames,
      Double durationSeconds,
      Long encodeMs,
      List<Integer> shotStarts,
      Integer transitionFrames) {

    public static final Sequence NONE =
        new Sequence(null, null, null, null, null, null, null, null, null);
  }

  public boolean isSequence() {
    return deliver == BatchDelivery.SEQUENCE;
  }
}
