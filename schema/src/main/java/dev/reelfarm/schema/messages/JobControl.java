package dev.reelfarm.schema.messages;

import java.util.UUID;

/** An instruction about a whole job, broadcast to every worker. */
public record JobControl(int schemaVersion, UUID jobId, Action action, long timestampMillis)
    implements WireMessage {
  public static final int SCHEMA_VERSION = 1;

  @Override
  public void validate() {
    WireMessage.requireVersion(schemaVersion, SCHEMA_VERSION);
    WireMessage.require(jobId, "jobId");
    WireMessage.require(action, "action");
  }

  public enum Action {
    /** Stop rendering the job's chunks at the next step; their results would be dropped anyway. */
    CANCEL
  }
}
