package dev.reelfarm.worker;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.InvalidBundleException;
import dev.reelfarm.schema.config.Settings;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import dev.reelfarm.worker.diffusion.DdimSampler;
import dev.reelfarm.worker.diffusion.DpmSolverPlusPlus2MSampler;
import dev.reelfarm.worker.diffusion.EulerSampler;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.diffusion.SchedulerConfig;
import dev.reelfarm.worker.messaging.CancellationListener;
import dev.reelfarm.worker.messaging.ChunkTaskHandler;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.OrtSessions;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.PreviewImages;
import java.net.InetAddress;
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

/** A GPU (or CPU) worker: one chunk at a time from the shared consumer group. */
public final class WorkerMain {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

  public static void main(String[] args) throws Exception {
    WorkerConfig config = WorkerConfig.fromEnvironment();
    OrtSessions sessions = new OrtSessions(config.threads(), config.allowCuda());
    ModelBundle bundle;
    try {
      bundle = ModelBundle.load(config.modelBundle(), sessions);
    } catch (InvalidBundleException e) {
      LOG.error("refusing to start: {}", e.getMessage());
      System.exit(3);
      return;
    }
    Sampler sampler = sampler(Settings.string("reelfarm.worker.sampler", "ddim"), bundle.scheduler());
    ArtifactStore artifacts = new ArtifactStore(config.artifactsDir());
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(config));
    ChunkRenderer renderer = new ChunkRenderer(bundle, sampler, artifacts);
    CancellationListener cancellations = new CancellationListener(config.kafkaBootstrap(), config.workerId());
    Thread cancellationThread = new Thread(cancellations, "cancellations");
    cancellationThread.setDaemon(true);
    cancellationThread.start();
    ChunkTaskHandler handler =
        new ChunkTaskHandler(renderer, PreviewImages.forBundle(bundle.manifest(), renderer.latentShape()), cancellations::isCancelled,
            artifacts, producer, config.workerId(), config.stepEventMs(), config.previewMs());
    LongTaskConsumer<ChunkTask> consumer =
        new LongTaskConsumer<>(consumerProperties(config), Topics.CHUNK_TASKS, ChunkTask.class, handler, 2, Duration.ofSeconds(1));

    ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heartbeat");
      t.setDaemon(true);
      return t;
    });
    String host = InetAddress.getLocalHost().getHostName();
    long pid = ProcessHandle.current().pid();
    String model = bundle.manifest().name() + "@" + bundle.manifest().version();
    heartbeats.scheduleAtFixedRate(
        () -> {
          ChunkTask task = handler.current();
          var beat = new WorkerHeartbeat(WorkerHeartbeat.SCHEMA_VERSION, config.workerId(), model, sessions.device(), host, pid,
              task == null ? null : task.jobId(), task == null ? null : task.chunkId(), consumer.assignedPartitions(),
              System.currentTimeMillis());
          producer.send(new ProducerRecord<>(Topics.WORKER_HEARTBEATS, config.workerId(), MessageCodec.toBytes(beat)));
        },
        0, config.heartbeatMs(), TimeUnit.MILLISECONDS);

    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("worker {} stopping", config.workerId());
      consumer.close();
      try {
        main.join(10_000);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown"));

    LOG.info("worker ready: id={} model={} device={} sampler={} bundle={}", config.workerId(), model, sessions.device(),
        sampler.getClass().getSimpleName(), config.modelBundle());
    try {
      consumer.run();
    } finally {
      heartbeats.shutdownNow();
      cancellations.close();
      producer.close(Duration.ofSeconds(5));
      bundle.close();
      LOG.info("worker {} stopped", config.workerId());
    }
  }

  static Sampler sampler(String name, SchedulerConfig scheduler) {
    return switch (name) {
      case "ddim" -> new DdimSampler(scheduler);
      case "dpm++2m", "dpmsolver++" -> new DpmSolverPlusPlus2MSampler(scheduler);
      case "euler" -> new EulerSampler(scheduler);
      default -> throw new IllegalArgumentException("reelfarm.worker.sampler: unknown sampler '" + name + "' (ddim, dpm++2m, euler)");
    };
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

  private static Properties consumerProperties(WorkerConfig config) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reelfarm-workers");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId());
    // A dead worker's partitions move to the others after this long without heartbeats.
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1500");
    return p;
  }

  private WorkerMain() {}
}
