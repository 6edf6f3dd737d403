package dev.reelfarm.schema.messaging;

import dev.reelfarm.schema.messages.MessageCodec.MalformedMessageException;
import dev.reelfarm.schema.messages.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one task at a time and runs it on a processing thread while the polling thread keeps the
 * group membership alive, so a task longer than {@code max.poll.interval.ms} never gets the
 * consumer kicked out. The offset is committed only after the handler returns, i.e. after its
 * results are durable: a crash mid-task means redelivery (at least once), never loss.
 *
 * <p>Failures are classified at this edge: an unreadable message is poison, dead-lettered and
 * committed past at once; a {@link PoisonTaskException} is given up ({@link Handler#giveUp}) at
 * once; anything else is retried up to {@code maxAttempts} times with a doubling back-off, then
 * given up. A task given up is dead-lettered too (see {@link DeadLetters}), and the loop goes on:
 * no record stops it.
 *
 * <p>{@link #run()} blocks; services run it as a {@link BackgroundLoop} with {@link #close()} as
 * its stop hook.
 */
public final class LongTaskConsumer<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LongTaskConsumer.class);

  /**
   * How long one poll waits. Short: a poll loop notices {@link #close()} within it even without the
   * wake-up, and while a task runs, each paused poll keeps the consumer inside {@code
   * max.poll.interval.ms}.
   */
  static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  /** Does the work for one task. */
  public interface Handler<T> {
    void handle(T task) throws Exception;

    /** Called once when a task will not be retried any more (report the failure here). */
    void giveUp(T task, Exception cause);
  }

  /** A task that can never succeed (bad input): retrying it would only waste a GPU. */
  public static final class PoisonTaskException extends RuntimeException {
    public PoisonTaskException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final Topic<T> topic;
  private final Handler<T> handler;
  private final DeadLetters deadLetters;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final ExecutorService processor;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile boolean busy;
  private volatile List<Integer> assignedPartitions = List.of();

  /**
   * @param kafka consumer properties, from {@link KafkaClients#consumer}; auto-commit and batching
   *     are turned off here, and the deserializers this consumer's record types need are set
   */
  public LongTaskConsumer(
      Properties kafka,
      Topic<T> topic,
      Handler<T> handler,
      DeadLetters deadLetters,
      int maxAttempts,
      Duration firstBackoff) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(props);
    this.topic = topic;
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.processor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "task-" + topic.name());
              t.setDaemon(true);
              return t;
            });
  }

  /** Polls and processes until {@link #close()} is called from another thread. */
  public void run() {
    consumer.subscribe(
        List.of(topic.name()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            publishAssignment();
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Partitions handed over mid-task must not deliver a second task to this busy consumer.
            if (busy) consumer.pause(partitions);
            publishAssignment();
          }
        });
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
          process(record);
          if (!running.get()) break;
        }
      }
    } catch (WakeupException e) {
      if (running.get()) throw e;
    } finally {
      processor.shutdownNow();
      consumer.close(KafkaClients.CLOSE_TIMEOUT);
    }
  }

  /** The partitions this consumer owns now (sorted), for heartbeats. */
  public List<Integer> assignedPartitions() {
    return assignedPartitions;
  }

  private void publishAssignment() {
    assignedPartitions =
        consumer.assignment().stream().map(TopicPartition::partition).sorted().toList();
  }

  private void process(ConsumerRecord<String, byte[]> record) {
    T task;
    try {
      task = topic.decode(record);
    } catch (MalformedMessageException e) {
      LOG.error(
          "dead-lettering unreadable message {}: {}",
          DeadLetters.coordinates(record),
          e.getMessage());
      deadLetters.publish(record, "unreadable: " + e.getMessage());
      commit(record);
      return;
    }
    busy = true;
    consumer.pause(consumer.assignment());
    try {
      // The processing thread wakes this poll as soon as the task ends, so the next task is fetched
      // at once rather than after the rest of a heartbeat poll (that wait was ~100 ms per chunk).
      // The loop ends only on that wake-up, so none is left pending to fail the commit below.
      AtomicBoolean finished = new AtomicBoolean();
      processor.submit(
          () -> {
            try {
              runWithRetries(record, task);
            } finally {
              finished.set(true);
              consumer.wakeup();
            }
          });
      while (running.get()) {
        try {
          consumer.poll(POLL_TIMEOUT); // stays in the group; returns nothing while paused
        } catch (WakeupException e) {
          if (finished.get()) break;
        }
      }
      if (!running.get()) return; // shutting down mid-task: leave the offset for redelivery
      commit(record);
    } finally {
      busy = false;
      consumer.resume(consumer.paused());
    }
  }

  private void runWithRetries(ConsumerRecord<String, byte[]> record, T task) {
    Duration backoff = firstBackoff;
    for (int attempt = 1; ; attempt++) {
      try {
        handler.handle(task);
        return;
      } catch (PoisonTaskException e) {
        LOG.error(
            "poison task {}, not retried: {}", DeadLetters.coordinates(record), e.getMessage());
        giveUp(record, task, e, "poison task: " + e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Error e) {
        // An Error (a class that no longer loads, a native crash surfacing, out of memory) would
        // otherwise vanish inside the processing thread's Future while the offset is committed:
        // the task would be lost silently. Report it as failed instead; never retried here.
        LOG.error("task {} failed with {}", DeadLetters.coordinates(record), e.toString(), e);
        giveUp(record, task, new IllegalStateException(e.toString(), e), "failed: " + e);
        return;
      } catch (Exception e) {
        if (attempt >= maxAttempts || !running.get()) {
          LOG.error(
              "task {} failed after {} attempts", DeadLetters.coordinates(record), attempt, e);
          giveUp(record, task, e, "failed after " + attempt + " attempts: " + e);
          return;
        }
        LOG.warn(
            "task failed (attempt {}/{}), retrying in {} ms: {}",
            attempt,
            maxAttempts,
            backoff.toMillis(),
            e.toString());
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Reports the failure through the handler and dead-letters the record, unless the consumer is
   * stopping (then the task is redelivered to the next owner, so it is not set aside). A handler
   * whose report fails does not stop the loop either.
   */
  private void giveUp(ConsumerRecord<String, byte[]> record, T task, Exception cause, String why) {
    try {
      handler.giveUp(task, cause);
    } catch (RuntimeException e) {
      LOG.error("reporting the failure of {} failed too", DeadLetters.coordinates(record), e);
    }
    if (running.get()) deadLetters.publish(record, why);
  }

  private void commit(ConsumerRecord<String, byte[]> record) {
    try {
      consumer.commitSync(
          Map.of(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1)));
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // The partition moved to another consumer meanwhile: it will redeliver the task, and the
      // orchestrator's attempt fencing drops whichever result is superseded.
      LOG.warn(
          "offset commit for {}-{}@{} lost to a rebalance: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    } catch (RetriableException e) {
      // The broker is away (commitSync gave up after default.api.timeout.ms): the loop must not
      // die of it. This consumer's position is past the task already, so the next commit covers
      // it; if none comes before a rebalance, the task is redelivered and fenced like any other.
      LOG.warn(
          "offset commit for {}-{}@{} failed, left to the next commit: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
