package dev.reelfarm.schema.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * A chunk's state: PENDING → READY → DISPATCHED → RUNNING → DONE | FAILED (| CANCELLED with its
 * job). The CHECK constraint on {@code chunk.status} (V1 migration) is the source of the allowed
 * values; a test keeps this enum equal to it.
 */
public enum ChunkStatus {
  /** Waiting for the chunks it depends on. */
  PENDING,
  /** Runnable, waiting in PostgreSQL for room and an idle worker. */
  READY,
  /** Its task is in the outbox or on Kafka. */
  DISPATCHED,
  RUNNING,
  DONE,
  FAILED,
  CANCELLED;

  /** Sent to a worker and not finished: what the dispatcher's in-flight bound counts. */
  public static final Set<ChunkStatus> IN_FLIGHT = Set.copyOf(EnumSet.of(DISPATCHED, RUNNING));

  /** Finished for good: no run will change the chunk again. */
  public boolean isFinished() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }
}
