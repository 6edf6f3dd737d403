package dev.reelfarm.worker.runtime;

import java.util.UUID;

/** Thrown from a step listener to abandon a chunk whose job was cancelled. */
public final class JobCancelledException extends Exception {
  public JobCancelledException(UUID jobId, int step) {
    super("job " + jobId + " cancelled, stopped after step " + step);
  }
}
