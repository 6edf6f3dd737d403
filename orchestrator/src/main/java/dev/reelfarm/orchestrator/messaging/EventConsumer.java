package dev.reelfarm.orchestrator.messaging;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.MessageCodec.MalformedMessageException;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies workers' and encoders' reports to PostgreSQL. Offsets are committed after a batch is
 * applied; a redelivered event is harmless because every transition is compare-and-set.
 */
@ApplicationScoped
public class EventConsumer {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class);

  private final RenderLifecycle lifecycle;
  private final Database db;
  private final WorkerRepository workers;
  private final String bootstrap;
  private volatile boolean running;
  private KafkaConsumer<String, String> consumer;
  private Thread thread;

  public EventConsumer(
      RenderLifecycle lifecycle, Database db, WorkerRepository workers, @ConfigProperty(name = "reelfarm.kafka.bootstrap") String bootstrap) {
    this.lifecycle = lifecycle;
    this.db = db;
    this.workers = workers;
    this.bootstrap = bootstrap;
  }

  void start(@Observes StartupEvent ignored) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reelfarm-orchestrator");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
    running = true;
    thread = new Thread(this::loop, "event-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
    running = false;
    if (consumer != null) consumer.wakeup();
    if (thread != null) thread.join(5000);
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(Topics.CHUNK_EVENTS, Topics.JOB_EVENTS, Topics.WORKER_HEARTBEATS));
      while (running) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, String> record : records) apply(record);
        if (!records.isEmpty()) consumer.commitSync();
      }
    } catch (WakeupException e) {
      if (running) throw e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<String, String> record) {
    while (true) {
      try {
        switch (record.topic()) {
          case Topics.CHUNK_EVENTS -> lifecycle.onChunkEvent(MessageCodec.fromJson(record.value(), ChunkEvent.class));
          case Topics.JOB_EVENTS -> lifecycle.onJobEvent(MessageCodec.fromJson(record.value(), JobEvent.class));
          case Topics.WORKER_HEARTBEATS -> {
            WorkerHeartbeat h = MessageCodec.fromJson(record.value(), WorkerHeartbeat.class);
            db.inTransaction(c -> {
              workers.upsert(c, h);
              return null;
            });
          }
          default -> LOG.warnf("unexpected topic %s", record.topic());
        }
        return;
      } catch (MalformedMessageException e) {
        LOG.errorf("dropping unreadable message %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        return;
      } catch (RuntimeException e) {
        // Database trouble: retry the same record until it applies (events must not be lost).
        if (!running) throw e;
        LOG.warnf("cannot apply %s-%d@%d yet: %s", record.topic(), record.partition(), record.offset(), e.toString());
        sleep(1000);
      }
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
