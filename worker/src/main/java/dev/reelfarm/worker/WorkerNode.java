package dev.reelfarm.worker;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.DeadLetters;
import dev.reelfarm.schema.messaging.KafkaClients;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import dev.reelfarm.worker.messaging.CancellationListener;
import dev.reelfarm.worker.messaging.ChunkTaskHandler;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.PreviewImages;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the farm: a member of the chunk-task consumer group that renders one chunk at a
 * time with its {@link ChunkRenderer}, hears cancellations, and sends heartbeats (with the task
 * partitions it owns), each a {@link BackgroundLoop}. {@link #start()} starts them; {@link
 * #close()} stops them (a chunk in progress is left uncommitted, so Kafka redelivers it) and
 * releases the clients.
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  /** The consumer group every worker joins: Kafka spreads the chunk-task partitions over them. */
  static final String GROUP = "reelfarm-workers";

  /** A dead worker's partitions move to the others after this long without group heartbeats. */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  /**
   * Kafka's rule of thumb: a third of the session timeout or less, so one lost beat is not fatal.
   */
  private static final Duration GROUP_HEARTBEAT = Duration.ofMillis(1500);

  /**
   * Retries of a failed chunk inside this worker before it is reported FAILED (the orchestrator may
   * retry it elsewhere).
   */
  private static final int TASK_ATTEMPTS = 2;

  /**
   * Wait before the retry: long enough for a transient error (a full disk being cleared) to pass.
   */
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  private final String id;
  private final KafkaProducer<String, byte[]> producer;
  private final CancellationListener cancellations;
  private final LongTaskConsumer<ChunkTask> consumer;
  private final BackgroundLoop consuming;
  private final BackgroundLoop hearing;
  private final BackgroundLoop heartbeats;

  /**
   * @param id this worker's name in the farm (consumer client id, heartbeat key)
   * @param bundle the loaded bundle, for heartbeats (the farm routes its model's chunks here) and
   *     to refuse tasks of another model
   * @param device what renders (CPU, CUDA, SIMULATED), for heartbeats
   * @param previews null: no preview images
   */
  public WorkerNode(
      WorkerConfig config,
      KafkaClients kafka,
      String id,
      ChunkRenderer renderer,
      PreviewImages previews,
      ArtifactStore artifacts,
      BundleFacts bundle,
      String device,
      String host) {
    this.id = id;
    this.producer = kafka.newProducer(id + "-events");
    this.cancellations = new CancellationListener(kafka, id, producer);
    ChunkTaskHandler handler =
        new ChunkTaskHandler(
            renderer,
            previews,
            cancellations::isCancelled,
            artifacts,
            producer,
            id,
            bundle.ref(),
            config.stepEventMs(),
            config.previewMs());
    this.consumer =
        new LongTaskConsumer<>(
            consumerProperties(kafka, id),
            Topics.CHUNK_TASKS,
            handler,
            new DeadLetters(producer, id, GROUP),
            TASK_ATTEMPTS,
            RETRY_BACKOFF);
    this.hearing = BackgroundLoop.of("cancellations-" + id, cancellations, cancellations::close);
    long pid = ProcessHandle.current().pid();
    String model = bundle.name() + "@" + bundle.version();
    this.heartbeats =
        BackgroundLoop.every(
            "heartbeat-" + id,
            Duration.ofMillis(config.heartbeatMs()),
            () -> {
              ChunkTask task = handler.current();
              var heartbeat =
                  new WorkerHeartbeat(
                      WorkerHeartbeat.SCHEMA_VERSION,
                      id,
                      model,
                      device,
                      host,
                      pid,
                      task == null ? null : task.jobId(),
                      task == null ? null : task.chunkId(),
                      consumer.assignedPartitions(),
                      System.currentTimeMillis(),
                      bundle);
              Topics.WORKER_HEARTBEATS.send(producer, id, heartbeat);
            });
    this.consuming = BackgroundLoop.of("worker-" + id, this::consume, consumer::close);
  }

  /**
   * Once it stops consuming, however, the node stops heartbeating: the farm must not count on it.
   */
  private void consume() {
    try {
      consumer.run();
    } finally {
      heartbeats.stop();
      hearing.stop();
    }
  }

  public String id() {
    return id;
  }

  /** Starts consuming, hearing cancellations and heartbeating, each on its own thread. */
  public void start() {
    hearing.start();
    heartbeats.start();
    consuming.start();
  }

  /** True while the node consumes tasks (for health). */
  public boolean isRunning() {
    return consuming.isRunning();
  }

  /** Its loops, each a health check: consuming tasks, hearing cancellations, heartbeating. */
  public List<BackgroundLoop> loops() {
    return List.of(consuming, hearing, heartbeats);
  }

  /**
   * Blocks until the node has stopped consuming (after {@link #close()}, or a consumer failure).
   */
  public void await() throws InterruptedException {
    consuming.join();
  }

  /** True when the node stopped on an error rather than by {@link #close()}. */
  public boolean failed() {
    return consuming.failed();
  }

  /**
   * Stops the node and waits for its loops (each up to {@link BackgroundLoop#STOP_WAIT}), then
   * closes the producer.
   */
  @Override
  public void close() {
    consuming.close();
    heartbeats.close();
    hearing.close();
    producer.close(KafkaClients.CLOSE_TIMEOUT);
    LOG.info("worker {} stopped", id);
  }

  private static Properties consumerProperties(KafkaClients kafka, String id) {
    Properties p = kafka.consumer(id, GROUP);
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis()));
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(GROUP_HEARTBEAT.toMillis()));
    return p;
  }
}
