package dev.reelfarm.orchestrator.messaging;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.lifecycle.BatchProgress;
import dev.reelfarm.orchestrator.lifecycle.RenderLifecycle;
import dev.reelfarm.orchestrator.loops.LoopHealth;
import dev.reelfarm.orchestrator.loops.Loops;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.DeadLetterRepository;
import dev.reelfarm.orchestrator.persistence.WorkerRepository;
import dev.reelfarm.schema.messages.MessageCodec.MalformedMessageException;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.DeadLetter;
import dev.reelfarm.schema.messaging.DeadLetters;
import dev.reelfarm.schema.messaging.KafkaClients;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Applies workers' and encoders' reports to PostgreSQL, and keeps the farm's dead letters there.
 * Offsets are committed after a batch is applied; a redelivered event is harmless because every
 * transition is compare-and-set.
 *
 * <p>No record stops the loop: one that cannot be read is dead-lettered at once; one that fails to
 * apply is retried as {@link ApplyRetries} says (while the database is down; a bounded number of
 * times for any other failure, then dead-lettered). Every replica runs one, in the same consumer
 * group: the partitions are shared out, and a record applied twice (a rebalance) changes nothing.
 *
 * <p>Its health (/q/health): down while the database is failing or the brokers cannot be reached;
 * an idle poll does not say which, so the brokers are asked for their topics every {@link #PROBE}.
 */
@ApplicationScoped
public class EventConsumer {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class);
  private static final String GROUP = "reelfarm-orchestrator";

  /** A poll returns at once when records wait; this only bounds how long a stop request waits. */
  private static final Duration POLL = Duration.ofMillis(500);

  /** How often an idle consumer checks that the brokers answer, and how long it waits for them. */
  static final Duration PROBE = Duration.ofSeconds(5);

  private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

  /** A commit waits this long for the brokers; past it, the loop goes on (see {@link #commit}). */
  private static final Duration COMMIT_WAIT = Duration.ofSeconds(10);

  private final RenderLifecycle lifecycle;
  private final BatchProgress batches;
  private final Database db;
  private final WorkerRepository workers;
  private final DeadLetterRepository deadLetterRows;
  private final KafkaClients kafka;
  private final LoopHealth health;
  private volatile boolean running;
  private KafkaConsumer<String, byte[]> consumer;
  private DeadLetters deadLetters;
  private BackgroundLoop loop;

  public EventConsumer(
      RenderLifecycle lifecycle,
      BatchProgress batches,
      Database db,
      WorkerRepository workers,
      DeadLetterRepository deadLetterRows,
      ReelfarmConfig config,
      Loops loops) {
    this.lifecycle = lifecycle;
    this.batches = batches;
    this.db = db;
    this.workers = workers;
    this.deadLetterRows = deadLetterRows;
    this.kafka = new KafkaClients(config.kafka());
    this.health = loops.register("event-consumer");
  }

  void start(@Observes StartupEvent ignored) {
    Properties p = kafka.consumer("orchestrator-events", GROUP);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(p);
    deadLetters = DeadLetters.withOwnProducer(kafka, "orchestrator", GROUP);
    running = true;
    loop = BackgroundLoop.of("event-consumer", this::consume, consumer::wakeup).start();
    health.watching(loop::isRunning);
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    if (loop != null) loop.close();
    if (deadLetters != null) deadLetters.close();
  }

  private void consume() {
    try {
      consumer.subscribe(
          List.of(
              Topics.CHUNK_EVENTS.name(),
              Topics.JOB_EVENTS.name(),
              Topics.SEQUENCE_EVENTS.name(),
              Topics.WORKER_HEARTBEATS.name(),
              Topics.DEAD_LETTERS.name()));
      long probed = System.nanoTime();
      while (running) {
        var records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) {
          if (!running) return; // uncommitted: redelivered to the next orchestrator
          apply(record);
        }
        // Stopping mid-retry leaves the record unapplied: it must stay uncommitted.
        if (!records.isEmpty() && running) commit();
        if (!records.isEmpty()) {
          probed = System.nanoTime();
        } else if (System.nanoTime() - probed > PROBE.toNanos()) {
          probeBrokers();
          probed = System.nanoTime();
        }
      }
    } catch (WakeupException e) {
      if (running) throw e;
    } finally {
      consumer.close(KafkaClients.CLOSE_TIMEOUT);
    }
  }

  /**
   * Commits the applied batch. A commit that fails (brokers down, or a rebalance gave the
   * partitions away) must not end the loop: the records are applied, and whoever reads them again
   * applies them again harmlessly.
   */
  private void commit() {
    try {
      consumer.commitSync(COMMIT_WAIT);
      health.succeeded();
    } catch (TimeoutException | CommitFailedException | RebalanceInProgressException e) {
      health.failed(e);
    }
  }

  private void probeBrokers() {
    try {
      consumer.listTopics(PROBE_WAIT);
      health.succeeded();
    } catch (TimeoutException e) {
      health.failed(e);
    }
  }

  /** One step of applying a decoded record. */
  @FunctionalInterface
  private interface Application {
    void run();
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    Application application;
    try {
      application = decode(record);
    } catch (MalformedMessageException e) {
      LOG.errorf(
          "dead-lettering unreadable message %s: %s",
          DeadLetters.coordinates(record), e.getMessage());
      deadLetters.publish(record, "unreadable: " + e.getMessage());
      return;
    }
    if (application != null) applyWithRetries(record, application);
  }

  /** What applying the record does; null for a topic this consumer does not know. */
  private Application decode(ConsumerRecord<String, byte[]> record) {
    String topic = record.topic();
    if (topic.equals(Topics.CHUNK_EVENTS.name())) {
      var event = Topics.CHUNK_EVENTS.decode(record);
      return () -> lifecycle.onChunkEvent(event);
    } else if (topic.equals(Topics.JOB_EVENTS.name())) {
      var event = Topics.JOB_EVENTS.decode(record);
      return () -> lifecycle.onJobEvent(event);
    } else if (topic.equals(Topics.SEQUENCE_EVENTS.name())) {
      var event = Topics.SEQUENCE_EVENTS.decode(record);
      return () -> batches.onSequenceEvent(event);
    } else if (topic.equals(Topics.WORKER_HEARTBEATS.name())) {
      WorkerHeartbeat h = Topics.WORKER_HEARTBEATS.decode(record);
      return () ->
          db.inTransaction(
              c -> {
                workers.upsert(c, h);
                return null;
              });
    } else if (topic.equals(Topics.DEAD_LETTERS.name())) {
      DeadLetter letter = DeadLetter.of(record);
      return () -> db.inTransaction(c -> deadLetterRows.insert(c, letter));
    }
    LOG.warnf("unexpected topic %s", topic);
    return null;
  }

  private void applyWithRetries(ConsumerRecord<String, byte[]> record, Application application) {
    ApplyRetries retries = new ApplyRetries();
    while (running) {
      try {
        application.run();
        health.succeeded();
        return;
      } catch (RuntimeException e) {
        Optional<Duration> pause = retries.after(e);
        if (pause.isEmpty()) {
          giveUp(record, retries.failures(), e);
          return;
        }
        if (e instanceof Database.PersistenceException) {
          health.failed(e); // one line when the database is lost, one when it is back
        } else {
          LOG.warnf(
              "cannot apply %s yet, retrying in %d ms: %s",
              DeadLetters.coordinates(record), pause.get().toMillis(), e);
        }
        sleep(pause.get());
      }
    }
  }

  private void giveUp(ConsumerRecord<String, byte[]> record, int attempts, RuntimeException e) {
    if (record.topic().equals(Topics.DEAD_LETTERS.name())) {
      // Never dead-letter a dead letter: it would come back here forever.
      LOG.errorf(
          e,
          "dropping dead letter %s after %d attempts",
          DeadLetters.coordinates(record),
          attempts);
      return;
    }
    LOG.errorf(e, "dead-lettering %s after %d attempts", DeadLetters.coordinates(record), attempts);
    deadLetters.publish(record, "failed after " + attempts + " attempts: " + e);
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
