package dev.reelfarm.schema.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * A render job's state: QUEUED → RUNNING → ENCODING → SUCCEEDED | FAILED | CANCELLED, and for a job
 * with a storyboard review RUNNING → AWAITING_APPROVAL → RUNNING (approved, or rerolled) |
 * CANCELLED (rejected). The CHECK constraint on {@code render_job.status} (V1, V15 migrations) is
 * the source of the allowed values; a test keeps this enum equal to it.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  /**
   * The anchor pass is done and its keyframes wait for a person's approval: no chunk is in flight
   * or ready, so the job holds no worker until it is approved or rerolled.
   */
  AWAITING_APPROVAL,
  ENCODING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** The states a job can still leave: it may be cancelled or fail from any of them. */
  public static final Set<JobStatus> OPEN =
      Set.copyOf(EnumSet.of(QUEUED, RUNNING, AWAITING_APPROVAL, ENCODING));

  public boolean isFinal() {
    return !OPEN.contains(this);
  }
}
