package dev.reelfarm.encoder.messaging;

import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.SequenceEvent;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.KafkaClients;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes an encoder's reports to their topic, keyed by what they are about (one job's or batch's
 * events stay in order on one partition). Each publish returns only once the broker has the event
 * on all in-sync replicas, so the task's offset is committed after its result is durable, never
 * before. A publish is bounded by {@link KafkaClients#DELIVERY_TIMEOUT}: past it the handler fails
 * and the task is retried (or reported failed), better than blocking the encoder forever on a lost
 * broker.
 */
public final class EventPublisher<T> implements Consumer<T>, AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final Topic<T> topic;
  private final Function<T, Object> key;

  private EventPublisher(
      KafkaProducer<String, byte[]> producer, Topic<T> topic, Function<T, Object> key) {
    this.producer = producer;
    this.topic = topic;
    this.key = key;
  }

  /** Job events to {@link Topics#JOB_EVENTS}, keyed by job. */
  public static EventPublisher<JobEvent> jobEvents(KafkaClients kafka, String clientId) {
    return new EventPublisher<>(
        kafka.newProducer(clientId + "-events"), Topics.JOB_EVENTS, JobEvent::jobId);
  }

  /** Sequence reports to {@link Topics#SEQUENCE_EVENTS}, keyed by batch. */
  public static EventPublisher<SequenceEvent> sequenceEvents(KafkaClients kafka, String clientId) {
    return new EventPublisher<>(
        kafka.newProducer(clientId + "-sequence-events"),
        Topics.SEQUENCE_EVENTS,
        SequenceEvent::batchId);
  }

  /** Sends {@code event} and waits until it is acknowledged by all in-sync replicas. */
  @Override
  public void accept(T event) {
    String about = key.apply(event).toString();
    Future<RecordMetadata> sent = topic.send(producer, about, event);
    producer.flush();
    try {
      sent.get(KafkaClients.ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(
          "interrupted while publishing " + event.getClass().getSimpleName() + " for " + about, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new PublishException(
          "could not publish " + event.getClass().getSimpleName() + " for " + about + ": " + cause,
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
