package dev.reelfarm.schema.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * A render job's state: QUEUED → RUNNING → ENCODING → SUCCEEDED | FAILED | CANCELLED. The CHECK
 * constraint on {@code render_job.status} (V1 migration) is the source of the allowed values; a
 * test keeps this enum equal to it.
 */
public enum JobStatus {
  QUEUED,
  RUNNING,
  ENCODING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** The states a job can still leave: it may be cancelled or fail from any of them. */
  public static final Set<JobStatus> OPEN = Set.copyOf(EnumSet.of(QUEUED, RUNNING, ENCODING));

  public boolean isFinal() {
    return !OPEN.contains(this);
  }
}
