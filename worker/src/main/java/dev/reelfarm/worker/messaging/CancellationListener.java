package dev.reelfarm.worker.messaging;

import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.DeadLetters;
import dev.reelfarm.schema.messaging.KafkaClients;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears job cancellations broadcast on {@link Topics#JOB_CONTROL}. Each worker reads the topic in
 * its own consumer group from "now", so every worker hears every cancel; the denoise loop checks
 * {@link #isCancelled} after each step and stops within one step. {@link #run()} is the body of a
 * {@code BackgroundLoop} whose stop hook is {@link #close()}. An unreadable control message is
 * dead-lettered (by every worker, as each reads it in its own group) and skipped.
 */
public final class CancellationListener implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CancellationListener.class);
  private static final int REMEMBERED = 10_000;

  /** Short, so {@link #close()} is noticed promptly even if its wake-up comes between polls. */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

  private final KafkaConsumer<String, byte[]> consumer;
  private final DeadLetters deadLetters;
  private final Set<UUID> cancelled =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));
  private volatile boolean running = true;

  /**
   * @param producer for dead letters; not closed here
   */
  public CancellationListener(
      KafkaClients kafka, String workerId, Producer<String, byte[]> producer) {
    String group = "reelfarm-control-" + workerId;
    Properties p = kafka.consumer(workerId + "-control", group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // from "now", see above
    this.consumer = new KafkaConsumer<>(p);
    this.deadLetters = new DeadLetters(producer, workerId, group);
  }

  public boolean isCancelled(UUID jobId) {
    return cancelled.contains(jobId);
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.JOB_CONTROL.name()));
      while (running) {
        for (var record : consumer.poll(POLL_TIMEOUT)) {
          try {
            JobControl control = Topics.JOB_CONTROL.decode(record);
            if (control.action() == JobControl.Action.CANCEL && cancelled.add(control.jobId())) {
              LOG.info("job {} cancelled", control.jobId());
            }
          } catch (MessageCodec.MalformedMessageException e) {
            LOG.error(
                "dead-lettering unreadable control message {}: {}",
                DeadLetters.coordinates(record),
                e.getMessage());
            deadLetters.publish(record, "unreadable: " + e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      if (running) throw e;
    } finally {
      consumer.close(KafkaClients.CLOSE_TIMEOUT);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
