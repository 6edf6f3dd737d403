package dev.reelfarm.schema.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A batch's state, aggregated from its shots' jobs (and, for a sequence, from its sequence encode):
 *
 * <ul>
 *   <li>QUEUED: every shot is QUEUED;
 *   <li>RUNNING: some shot is still open (QUEUED, RUNNING or ENCODING) and not all are QUEUED;
 *   <li>ENCODING: a sequence whose shots have all SUCCEEDED, its sequence not encoded yet;
 *   <li>SUCCEEDED: every shot SUCCEEDED (and for a sequence, the sequence video exists);
 *   <li>PARTIAL: every shot finished, some SUCCEEDED and some did not, or a sequence whose shots
 *       all SUCCEEDED but whose sequence encode failed or was cancelled (the shots' clips exist);
 *   <li>FAILED: every shot finished, none SUCCEEDED, at least one FAILED;
 *   <li>CANCELLED: every shot finished, none SUCCEEDED or FAILED (all CANCELLED).
 * </ul>
 *
 * The last four are final: {@code render_batch.final_status}'s CHECK (V19) holds exactly them, and
 * a test keeps the two equal.
 */
public enum BatchStatus {
  QUEUED,
  RUNNING,
  ENCODING,
  SUCCEEDED,
  PARTIAL,
  FAILED,
  CANCELLED;

  public static final Set<BatchStatus> FINAL =
      Set.copyOf(EnumSet.of(SUCCEEDED, PARTIAL, FAILED, CANCELLED));

  public boolean isFinal() {
    return FINAL.contains(this);
  }

  /**
   * The status of a batch whose shots are in {@code shots}.
   *
   * @param sequence whether the batch delivers a sequence
   * @param sequenceStatus the sequence encode's state; null before it started (or for clips)
   */
  public static BatchStatus of(
      List<JobStatus> shots, boolean sequence, SequenceStatus sequenceStatus) {
    if (shots.isEmpty()) throw new IllegalArgumentException("a batch has at least one shot");
    if (shots.stream().anyMatch(s -> !s.isFinal()))
      return shots.stream().allMatch(s -> s == JobStatus.QUEUED) ? QUEUED : RUNNING;
    long succeeded = shots.stream().filter(s -> s == JobStatus.SUCCEEDED).count();
    if (succeeded == shots.size()) {
      if (!sequence || sequenceStatus == SequenceStatus.SUCCEEDED) return SUCCEEDED;
      if (sequenceStatus == null || sequenceStatus == SequenceStatus.ENCODING) return ENCODING;
      return PARTIAL;
    }
    if (succeeded > 0) return PARTIAL;
    return shots.contains(JobStatus.FAILED) ? FAILED : CANCELLED;
  }
}
