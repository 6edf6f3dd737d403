package dev.reelfarm.schema.messages;

import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A Kafka topic and the one message type it carries, so a service cannot put the wrong message on
 * it or read it as another. Messages are JSON through {@link MessageCodec}; keys are strings.
 *
 * @param partitions what the local farm creates (and what an external cluster should have)
 */
public record Topic<T>(String name, int partitions, Class<T> type) {

  /** The record that sends {@code message} under {@code key}. */
  public ProducerRecord<String, byte[]> record(String key, T message) {
    return new ProducerRecord<>(name, key, MessageCodec.toBytes(message));
  }

  /**
   * Sends {@code message} under {@code key}; the future completes when the broker acknowledges it.
   */
  public Future<RecordMetadata> send(Producer<String, byte[]> producer, String key, T message) {
    return producer.send(record(key, message));
  }

  /**
   * Reads a record's value.
   *
   * @throws MessageCodec.MalformedMessageException when it is not a {@code T}
   */
  public T decode(ConsumerRecord<?, byte[]> record) {
    return decode(record.value());
  }

  public T decode(byte[] value) {
    return MessageCodec.fromBytes(value, type);
  }

  /** The JSON of a message for this topic, e.g. for an outbox row published later. */
  public String toJson(T message) {
    return MessageCodec.toJson(message);
  }

  public T fromJson(String json) {
    return MessageCodec.fromJson(json, type);
  }
}
