package dev.reelfarm.worker.messaging;

import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears job cancellations broadcast on {@link Topics#JOB_CONTROL}. Each worker reads the topic in
 * its own consumer group from "now", so every worker hears every cancel; the denoise loop checks
 * {@link #isCancelled} after each step and stops within one step.
 */
public final class CancellationListener implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CancellationListener.class);
  private static final int REMEMBERED = 10_000;

  private final KafkaConsumer<String, String> consumer;
  private final Set<UUID> cancelled =
      Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      }));
  private volatile boolean running = true;

  public CancellationListener(String bootstrap, String workerId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reelfarm-control-" + workerId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
  }

  public boolean isCancelled(UUID jobId) {
    return cancelled.contains(jobId);
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.JOB_CONTROL));
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          try {
            JobControl control = MessageCodec.fromJson(record.value(), JobControl.class);
            if (control.action() == JobControl.Action.CANCEL && cancelled.add(control.jobId())) {
              LOG.info("job {} cancelled", control.jobId());
            }
          } catch (MessageCodec.MalformedMessageException e) {
            LOG.warn("ignoring unreadable control message: {}", e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      if (running) throw e;
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
