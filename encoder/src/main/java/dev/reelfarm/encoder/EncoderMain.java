package dev.reelfarm.encoder;

import dev.reelfarm.encoder.messaging.EncodeTaskHandler;
import dev.reelfarm.encoder.messaging.EventPublisher;
import dev.reelfarm.encoder.messaging.SequenceTaskHandler;
import dev.reelfarm.encoder.metrics.EncoderMetrics;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.artifacts.ArtifactStores;
import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.config.InvalidConfigException;
import dev.reelfarm.schema.health.HealthEndpoint;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.SequenceEvent;
import dev.reelfarm.schema.messages.SequenceTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.DeadLetters;
import dev.reelfarm.schema.messaging.KafkaClients;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import io.smallrye.config.SmallRyeConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoder service: consumes {@link Topics#ENCODE_TASKS} in the {@value #GROUP} group, one task
 * at a time, and {@link Topics#SEQUENCE_TASKS} in the {@value #SEQUENCE_GROUP} group on a second
 * loop (a sequence batch's encode, rarer and longer, does not hold up clips behind it), and stops
 * cleanly on SIGTERM (an unfinished task is left uncommitted and redelivered).
 */
public final class EncoderMain {
  public static final String GROUP = "reelfarm-encoders";
  public static final String SEQUENCE_GROUP = "reelfarm-sequence-encoders";

  /**
   * How long SIGTERM waits for the consumer to leave its group and the producer to drain: both are
   * bounded by {@link KafkaClients#CLOSE_TIMEOUT}, plus a margin for the loop to notice the stop.
   */
  private static final Duration SHUTDOWN_WAIT = KafkaClients.CLOSE_TIMEOUT.multipliedBy(3);

  public static void main(String[] args) throws InterruptedException {
    // Before the first logger exists: Kafka's INFO lines would drown the encoder's own.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
    Logger log = LoggerFactory.getLogger(EncoderMain.class);
    FarmConfig farm;
    EncoderConfig config;
    try {
      SmallRyeConfig sources = FarmConfig.load(EncoderConfig.class);
      farm = FarmConfig.of(sources);
      config = EncoderConfig.from(sources);
    } catch (InvalidConfigException e) {
      log.error("bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    String id = config.encoderId();
    ArtifactStore store = ArtifactStores.open(farm.artifacts());
    log.info("encoder {} starting: kafka {}, artifacts {}", id, farm.kafka().bootstrap(), store);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<List<BackgroundLoop>> running = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    // Registered before any client exists, so a SIGTERM during start-up is handled too.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("encoder {} stopping", id);
                  stopRequested.set(true);
                  List<BackgroundLoop> loops = running.get();
                  if (loops != null) loops.forEach(BackgroundLoop::stop);
                  try {
                    if (!stopped.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                      log.warn("shutdown timed out");
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "encoder-shutdown"));
    KafkaClients kafka = new KafkaClients(farm.kafka());
    int exitCode = 0;
    try (EventPublisher<JobEvent> events = EventPublisher.jobEvents(kafka, id);
        EventPublisher<SequenceEvent> sequenceEvents = EventPublisher.sequenceEvents(kafka, id);
        DeadLetters deadLetters = DeadLetters.withOwnProducer(kafka, id, GROUP);
        DeadLetters sequenceDeadLetters = DeadLetters.withOwnProducer(kafka, id, SEQUENCE_GROUP)) {
      EncoderMetrics metrics = new EncoderMetrics();
      EncodeTaskHandler handler = new EncodeTaskHandler(store, id, metrics.observe(events));
      BackgroundLoop loop = consumerLoop(kafka, id, config, handler, deadLetters);
      BackgroundLoop sequences =
          sequenceLoop(
              kafka,
              id,
              config,
              new SequenceTaskHandler(store, id, sequenceEvents),
              sequenceDeadLetters);
      running.set(List.of(loop, sequences));
      if (stopRequested.get()) { // SIGTERM came while the clients were being created
        loop.stop();
        sequences.stop();
      }
      // Load FFmpeg's native libraries now, so the first job does not pay for it.
      org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
      try (HealthEndpoint health = health(config.httpPort(), loop, sequences)) {
        metrics.serveOn(health);
        loop.start();
        sequences.start();
        log.info(
            "encoder ready: id={} groups={},{} health=:{}",
            id,
            GROUP,
            SEQUENCE_GROUP,
            health.port());
        loop.join();
        sequences.stop();
        sequences.join();
      }
      if (loop.failed() || sequences.failed()) exitCode = 1;
    } catch (RuntimeException e) {
      log.error("encoder {} failed", id, e);
      exitCode = 1;
    } finally {
      stopped.countDown();
    }
    log.info("encoder {} stopped", id);
    if (exitCode != 0) System.exit(exitCode);
  }

  /** The loop that consumes encode tasks, one at a time, in the {@value #GROUP} group. */
  static BackgroundLoop consumerLoop(
      KafkaClients kafka,
      String id,
      EncoderConfig config,
      EncodeTaskHandler handler,
      DeadLetters deadLetters) {
    LongTaskConsumer<EncodeTask> consumer =
        new LongTaskConsumer<>(
            kafka.consumer(id, GROUP),
            Topics.ENCODE_TASKS,
            handler,
            deadLetters,
            config.maxAttempts(),
            config.retryBackoff());
    return BackgroundLoop.of("encoder-" + id, consumer::run, consumer::close);
  }

  /**
   * The loop that consumes sequence tasks, one at a time, in the {@value #SEQUENCE_GROUP} group.
   */
  static BackgroundLoop sequenceLoop(
      KafkaClients kafka,
      String id,
      EncoderConfig config,
      SequenceTaskHandler handler,
      DeadLetters deadLetters) {
    LongTaskConsumer<SequenceTask> consumer =
        new LongTaskConsumer<>(
            kafka.consumer(id + "-sequences", SEQUENCE_GROUP),
            Topics.SEQUENCE_TASKS,
            handler,
            deadLetters,
            config.maxAttempts(),
            config.retryBackoff());
    return BackgroundLoop.of("sequences-" + id, consumer::run, consumer::close);
  }

  /** The encoder's health on {@code port}: DOWN while one of its task consumers is not running. */
  static HealthEndpoint health(int port, BackgroundLoop... consumers) {
    return HealthEndpoint.start(
        port, () -> java.util.Arrays.stream(consumers).map(HealthEndpoint.Check::of).toList());
  }

  private EncoderMain() {}
}
