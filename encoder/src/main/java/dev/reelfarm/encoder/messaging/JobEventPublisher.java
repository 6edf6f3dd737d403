package dev.reelfarm.encoder.messaging;

import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.KafkaClients;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes job events to {@link Topics#JOB_EVENTS}, keyed by job id (one job's events stay in
 * order on one partition). Each publish returns only once the broker has the event on all in-sync
 * replicas, so the task's offset is committed after its result is durable, never before. A publish
 * is bounded by {@link KafkaClients#DELIVERY_TIMEOUT}: past it the handler fails and the task is
 * retried (or reported failed), better than blocking the encoder forever on a lost broker.
 */
public final class JobEventPublisher implements Consumer<JobEvent>, AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;

  public JobEventPublisher(KafkaClients kafka, String clientId) {
    this.producer = kafka.newProducer(clientId + "-events");
  }

  /** Sends {@code event} and waits until it is acknowledged by all in-sync replicas. */
  @Override
  public void accept(JobEvent event) {
    Future<RecordMetadata> sent = Topics.JOB_EVENTS.send(producer, event.jobId().toString(), event);
    producer.flush();
    try {
      sent.get(KafkaClients.ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(
          "interrupted while publishing "
              + event.getClass().getSimpleName()
              + " for job "
              + event.jobId(),
          e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new PublishException(
          "could not publish "
              + event.getClass().getSimpleName()
              + " for job "
              + event.jobId()
              + ": "
              + cause,
          cause);
    }
  }

  @Override
  public void close() {
    producer.close(KafkaClients.CLOSE_TIMEOUT);
  }

  /** An event that did not reach the broker: transient, the task is retried. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
