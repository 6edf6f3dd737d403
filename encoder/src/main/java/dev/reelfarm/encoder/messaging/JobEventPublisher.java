package dev.reelfarm.encoder.messaging;

import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes job events to {@link Topics#JOB_EVENTS}, keyed by job id (one job's events stay in
 * order on one partition). Each publish returns only once the broker has the event on all in-sync
 * replicas, so the task's offset is committed after its result is durable, never before.
 */
public final class JobEventPublisher implements Consumer<JobEvent>, AutoCloseable {
  /**
   * Upper bound for one publish, retries included. Past it the handler fails and the task is
   * retried (or reported failed): better than blocking the encoder forever on a lost broker.
   */
  static final int DELIVERY_TIMEOUT_MS = 30_000;

  private final KafkaProducer<String, byte[]> producer;

  public JobEventPublisher(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-events");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // broker-side retries never duplicate
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MS));
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
  }

  /** Sends {@code event} and waits until it is acknowledged by all in-sync replicas. */
  @Override
  public void accept(JobEvent event) {
    Future<RecordMetadata> sent =
        producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, event.jobId().toString(), MessageCodec.toBytes(event)));
    producer.flush();
    try {
      sent.get(DELIVERY_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while publishing " + event.getClass().getSimpleName() + " for job " + event.jobId(), e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new PublishException("could not publish " + event.getClass().getSimpleName() + " for job " + event.jobId() + ": " + cause, cause);
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }

  /** An event that did not reach the broker: transient, the task is retried. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
