package dev.reelfarm.schema.messages;

import java.util.List;

/**
 * Every Kafka topic of the farm, with its message type and the partition count the local farm
 * creates.
 */
public final class Topics {
  /**
   * A partition belongs to one worker of the group, and the dispatcher routes each chunk to a
   * partition of an idle worker: a worker without a partition never gets work, so this caps the
   * workers that can render at once (12 did: workers 13..32 of a 32-worker farm sat idle).
   */
  public static final int CHUNK_TASK_PARTITIONS = 64;

  /** One encode at a time per encoder; more than enough for the encoders of one farm. */
  public static final int ENCODE_TASK_PARTITIONS = 12;

  /**
   * Events and control messages are small and keyed by job: a few partitions keep them ordered per
   * job.
   */
  private static final int EVENT_PARTITIONS = 3;

  /** Chunk tasks for workers; keyed by chunk id so one job's chunks spread over partitions. */
  public static final Topic<ChunkTask> CHUNK_TASKS =
      new Topic<>("reelfarm.chunk.tasks", CHUNK_TASK_PARTITIONS, ChunkTask.class);

  /** started / step / completed / failed reports from workers. */
  public static final Topic<ChunkEvent> CHUNK_EVENTS =
      new Topic<>("reelfarm.chunk.events", EVENT_PARTITIONS, ChunkEvent.class);

  /** One task per job whose chunks are all done (and partial ones while it renders). */
  public static final Topic<EncodeTask> ENCODE_TASKS =
      new Topic<>("reelfarm.encode.tasks", ENCODE_TASK_PARTITIONS, EncodeTask.class);

  /** One task per sequence batch whose shots have all succeeded; keyed by batch. */
  public static final Topic<SequenceTask> SEQUENCE_TASKS =
      new Topic<>("reelfarm.sequence.tasks", EVENT_PARTITIONS, SequenceTask.class);

  /** encoded / failed reports from encoders about sequence batches. */
  public static final Topic<SequenceEvent> SEQUENCE_EVENTS =
      new Topic<>("reelfarm.sequence.events", EVENT_PARTITIONS, SequenceEvent.class);

  /** encoded / failed reports from encoders. */
  public static final Topic<JobEvent> JOB_EVENTS =
      new Topic<>("reelfarm.job.events", EVENT_PARTITIONS, JobEvent.class);

  /** Broadcast to every worker: stop work for a job (cancel). */
  public static final Topic<JobControl> JOB_CONTROL =
      new Topic<>("reelfarm.job.control", EVENT_PARTITIONS, JobControl.class);

  /** Liveness and current assignment of every worker. */
  public static final Topic<WorkerHeartbeat> WORKER_HEARTBEATS =
      new Topic<>("reelfarm.worker.heartbeats", EVENT_PARTITIONS, WorkerHeartbeat.class);

  /**
   * Records a consumer could not read or apply, copied as they were (key, value bytes, headers)
   * with headers naming where they came from and why (see {@code schema.messaging.DeadLetters}).
   * The orchestrator keeps them for {@code GET /api/v1/dead-letters}.
   */
  public static final Topic<byte[]> DEAD_LETTERS =
      new Topic<>("reelfarm.dead-letters", EVENT_PARTITIONS, byte[].class);

  private static final List<Topic<?>> ALL =
      List.of(
          CHUNK_TASKS,
          CHUNK_EVENTS,
          ENCODE_TASKS,
          JOB_EVENTS,
          JOB_CONTROL,
          WORKER_HEARTBEATS,
          SEQUENCE_TASKS,
          SEQUENCE_EVENTS,
          DEAD_LETTERS);

  /** Every topic, to create or check them. */
  public static List<Topic<?>> all() {
    return ALL;
  }

  /** The partition count of the topic called {@code name}. */
  public static int partitions(String name) {
    return named(name).partitions();
  }

  /** The topic called {@code name}, e.g. to dispatch a record polled from several topics. */
  public static Topic<?> named(String name) {
    return ALL.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no topic " + name));
  }

  private Topics() {}
}
