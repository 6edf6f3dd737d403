package dev.reelfarm.schema.messages;

import java.util.List;

/** Kafka topic names, in one place. Partition counts are the defaults the local farm creates. */
public final class Topics {
  /** Chunk tasks for workers; keyed by chunk id so one job's chunks spread over partitions. */
  public static final String CHUNK_TASKS = "reelfarm.chunk.tasks";
  /** started / step / completed / failed reports from workers. */
  public static final String CHUNK_EVENTS = "reelfarm.chunk.events";
  /** One task per job whose chunks are all done. */
  public static final String ENCODE_TASKS = "reelfarm.encode.tasks";
  /** encoded / failed reports from encoders. */
  public static final String JOB_EVENTS = "reelfarm.job.events";
  /** Broadcast to every worker: stop work for a job (cancel). */
  public static final String JOB_CONTROL = "reelfarm.job.control";
  /** Liveness and current assignment of every worker. */
  public static final String WORKER_HEARTBEATS = "reelfarm.worker.heartbeats";

  /**
   * A partition belongs to one worker of the group, and the dispatcher routes each chunk to a
   * partition of an idle worker: a worker without a partition never gets work, so this caps the
   * workers that can render at once (12 did: workers 13..32 of a 32-worker farm sat idle).
   */
  public static final int CHUNK_TASK_PARTITIONS = 64;

  /** One encode at a time per encoder; more than enough for the encoders of one farm. */
  public static final int ENCODE_TASK_PARTITIONS = 12;

  public static List<String> all() {
    return List.of(CHUNK_TASKS, CHUNK_EVENTS, ENCODE_TASKS, JOB_EVENTS, JOB_CONTROL, WORKER_HEARTBEATS);
  }

  public static int partitions(String topic) {
    if (topic.equals(CHUNK_TASKS)) return CHUNK_TASK_PARTITIONS;
    return topic.equals(ENCODE_TASKS) ? ENCODE_TASK_PARTITIONS : 3;
  }

  private Topics() {}
}
