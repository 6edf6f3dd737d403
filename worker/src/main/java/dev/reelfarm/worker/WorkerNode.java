package dev.reelfarm.worker;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import dev.reelfarm.worker.messaging.CancellationListener;
import dev.reelfarm.worker.messaging.ChunkTaskHandler;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.PreviewImages;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the farm: a member of the chunk-task consumer group that renders one chunk at a
 * time with its {@link ChunkRenderer}, hears cancellations, and sends heartbeats (with the task
 * partitions it owns). {@link #start()} runs it on its own thread; {@link #close()} stops it
 * (a chunk in progress is left uncommitted, so Kafka redelivers it) and releases its clients.
 */
public final class WorkerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

  private final String id;
  private final KafkaProducer<String, byte[]> producer;
  private final CancellationListener cancellations;
  private final ChunkTaskHandler handler;
  private final LongTaskConsumer<ChunkTask> consumer;
  private final ScheduledExecutorService heartbeats;
  private final Runnable beat;
  private final int heartbeatMs;
  private final Thread thread;
  private volatile boolean failed;

  /**
   * @param id this worker's name in the farm (consumer client id, heartbeat key)
   * @param model {@code name@version} of the bundle, for heartbeats
   * @param device what renders (CPU, CUDA, SIMULATED), for heartbeats
   * @param previews null: no preview images
   */
  public WorkerNode(
      WorkerConfig config, String id, ChunkRenderer renderer, PreviewImages previews, ArtifactStore artifacts, String model, String device,
      String host) {
    this.id = id;
    this.heartbeatMs = config.heartbeatMs();
    this.producer = new KafkaProducer<>(producerProperties(config));
    this.cancellations = new CancellationListener(config.kafkaBootstrap(), id);
    this.handler =
        new ChunkTaskHandler(renderer, previews, cancellations::isCancelled, artifacts, producer, id, config.stepEventMs(), config.previewMs());
    this.consumer =
        new LongTaskConsumer<>(consumerProperties(config, id), Topics.CHUNK_TASKS, ChunkTask.class, handler, 2, Duration.ofSeconds(1));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat-" + id));
    long pid = ProcessHandle.current().pid();
    this.beat =
        () -> {
          ChunkTask task = handler.current();
          var heartbeat = new WorkerHeartbeat(WorkerHeartbeat.SCHEMA_VERSION, id, model, device, host, pid,
              task == null ? null : task.jobId(), task == null ? null : task.chunkId(), consumer.assignedPartitions(),
              System.currentTimeMillis());
          producer.send(new ProducerRecord<>(Topics.WORKER_HEARTBEATS, id, MessageCodec.toBytes(heartbeat)));
        };
    this.thread = new Thread(this::run, "worker-" + id);
  }

  public String id() {
    return id;
  }

  /** Starts consuming, hearing cancellations and heartbeating, each on its own thread. */
  public void start() {
    daemon(cancellations, "cancellations-" + id).start();
    heartbeats.scheduleAtFixedRate(beat, 0, heartbeatMs, TimeUnit.MILLISECONDS);
    thread.start();
  }

  /** Blocks until the node has stopped (after {@link #close()}, or a consumer failure). */
  public void await() throws InterruptedException {
    thread.join();
  }

  /** True when the node stopped on an error rather than by {@link #close()}. */
  public boolean failed() {
    return failed;
  }

  private void run() {
    try {
      consumer.run();
    } catch (RuntimeException e) {
      failed = true;
      LOG.error("worker {} stopped on {}", id, e.toString(), e);
    } finally {
      heartbeats.shutdownNow();
      cancellations.close();
      producer.close(Duration.ofSeconds(5));
      LOG.info("worker {} stopped", id);
    }
  }

  /** Stops the node and waits up to 10 s for its clients to close. */
  @Override
  public void close() {
    consumer.close();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static Properties producerProperties(WorkerConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private static Properties consumerProperties(WorkerConfig config, String id) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reelfarm-workers");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, id);
    // A dead worker's partitions move to the others after this long without heartbeats.
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
    return p;
  }
}
