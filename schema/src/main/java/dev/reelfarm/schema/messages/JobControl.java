package dev.reelfarm.schema.messages;

import java.util.UUID;

/** An instruction about a whole job, broadcast to every worker. */
public record JobControl(int schemaVersion, UUID jobId, Action action, long timestampMillis) {
  public static final int SCHEMA_VERSION = 1;

  public enum Action {
    /** Stop rendering the job's chunks at the next step; their results would be dropped anyway. */
    CANCEL
  }
}
