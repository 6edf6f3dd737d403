package dev.reelfarm.encoder;

import dev.reelfarm.encoder.messaging.EncodeTaskHandler;
import dev.reelfarm.encoder.messaging.JobEventPublisher;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoder service: consumes {@link Topics#ENCODE_TASKS} in the {@value #GROUP} group, one task
 * at a time, and stops cleanly on SIGTERM (an unfinished task is left uncommitted and redelivered).
 */
public final class EncoderMain {
  public static final String GROUP = "reelfarm-encoders";
  /** How long SIGTERM waits for the consumer to leave its group and the producer to drain. */
  private static final long SHUTDOWN_WAIT_SECONDS = 15;

  public static void main(String[] args) {
    // Before the first logger exists: Kafka's INFO lines would drown the encoder's own.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
    Logger log = LoggerFactory.getLogger(EncoderMain.class);
    EncoderConfig config;
    try {
      config = EncoderConfig.fromSettings();
    } catch (IllegalArgumentException e) {
      log.error("bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("encoder {} starting: kafka {}, artifacts {}", config.encoderId(), config.kafkaBootstrap(),
        config.artifactsDir().toAbsolutePath());
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<LongTaskConsumer<EncodeTask>> running = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    // Registered before any client exists, so a SIGTERM during start-up is handled too.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("encoder {} stopping", config.encoderId());
      stopRequested.set(true);
      LongTaskConsumer<EncodeTask> consumer = running.get();
      if (consumer != null) consumer.close();
      try {
        if (!stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) log.warn("shutdown timed out");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "encoder-shutdown"));
    int exitCode = 0;
    try (JobEventPublisher events = new JobEventPublisher(config.kafkaBootstrap(), config.encoderId())) {
      EncodeTaskHandler handler =
          new EncodeTaskHandler(new ArtifactStore(config.artifactsDir()), config.encoderId(), events);
      Properties kafka = new Properties();
      kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
      kafka.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
      kafka.put(ConsumerConfig.CLIENT_ID_CONFIG, config.encoderId());
      LongTaskConsumer<EncodeTask> consumer =
          new LongTaskConsumer<>(kafka, Topics.ENCODE_TASKS, EncodeTask.class, handler, config.maxAttempts(),
              config.retryBackoff());
      running.set(consumer);
      if (stopRequested.get()) consumer.close(); // SIGTERM came while the clients were being created
      // Load FFmpeg's native libraries now, so the first job does not pay for it.
      org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
      log.info("encoder ready: id={} group={}", config.encoderId(), GROUP);
      consumer.run();
    } catch (RuntimeException e) {
      log.error("encoder {} failed", config.encoderId(), e);
      exitCode = 1;
    } finally {
      stopped.countDown();
    }
    log.info("encoder {} stopped", config.encoderId());
    if (exitCode != 0) System.exit(exitCode);
  }

  private EncoderMain() {}
}
