package dev.reelfarm.orchestrator.messaging;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.schema.messages.MessageCodec.MalformedMessageException;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Applies workers' and encoders' reports to PostgreSQL. Offsets are committed after a batch is
 * applied; a redelivered event is harmless because every transition is compare-and-set.
 */
@ApplicationScoped
public class EventConsumer {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class);
  private static final String GROUP = "reelfarm-orchestrator";

  /** A poll returns at once when records wait; this only bounds how long a stop request waits. */
  private static final Duration POLL = Duration.ofMillis(500);

  /** Pause before applying a record again after a database failure (it must not be skipped). */
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final RenderLifecycle lifecycle;
  private final Database db;
  private final WorkerRepository workers;
  private final KafkaClients kafka;
  private volatile boolean running;
  private KafkaConsumer<String, byte[]> consumer;
  private BackgroundLoop loop;

  public EventConsumer(
      RenderLifecycle lifecycle, Database db, WorkerRepository workers, ReelfarmConfig config) {
    this.lifecycle = lifecycle;
    this.db = db;
    this.workers = workers;
    this.kafka = new KafkaClients(config.kafka());
  }

  void start(@Observes StartupEvent ignored) {
    Properties p = kafka.consumer("orchestrator-events", GROUP);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(p);
    running = true;
    loop = BackgroundLoop.of("event-consumer", this::consume, consumer::wakeup).start();
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    if (loop != null) loop.close();
  }

  private void consume() {
    try {
      consumer.subscribe(
          List.of(
              Topics.CHUNK_EVENTS.name(),
              Topics.JOB_EVENTS.name(),
              Topics.WORKER_HEARTBEATS.name()));
      while (running) {
        var records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) apply(record);
        if (!records.isEmpty()) consumer.commitSync();
      }
    } catch (WakeupException e) {
      if (running) throw e;
    } finally {
      consumer.close(KafkaClients.CLOSE_TIMEOUT);
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    while (true) {
      try {
        String topic = record.topic();
        if (topic.equals(Topics.CHUNK_EVENTS.name())) {
          lifecycle.onChunkEvent(Topics.CHUNK_EVENTS.decode(record));
        } else if (topic.equals(Topics.JOB_EVENTS.name())) {
          lifecycle.onJobEvent(Topics.JOB_EVENTS.decode(record));
        } else if (topic.equals(Topics.WORKER_HEARTBEATS.name())) {
          WorkerHeartbeat h = Topics.WORKER_HEARTBEATS.decode(record);
          db.inTransaction(
              c -> {
                workers.upsert(c, h);
                return null;
              });
        } else {
          LOG.warnf("unexpected topic %s", topic);
        }
        return;
      } catch (MalformedMessageException e) {
        LOG.errorf(
            "dropping unreadable message %s-%d@%d: %s",
            record.topic(), record.partition(), record.offset(), e.getMessage());
        return;
      } catch (RuntimeException e) {
        // Database trouble: retry the same record until it applies (events must not be lost).
        if (!running) throw e;
        LOG.warnf(
            "cannot apply %s-%d@%d yet: %s",
            record.topic(), record.partition(), record.offset(), e.toString());
        sleep(RETRY_PAUSE);
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
