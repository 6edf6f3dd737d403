package dev.reelfarm.schema.messaging;

import dev.reelfarm.schema.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a record its consumer cannot read or apply to {@link Topics#DEAD_LETTERS}: the original
 * key, value bytes and headers, plus {@code dlt.*} headers naming the source coordinates, the
 * consumer group, the service and the reason (read back by {@link DeadLetter#of}). Every consumer
 * of the farm uses it, so one bad record is set aside and the consumer goes on with the next.
 */
public final class DeadLetters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  static final String TOPIC = "dlt.topic";
  static final String PARTITION = "dlt.partition";
  static final String OFFSET = "dlt.offset";
  static final String GROUP = "dlt.group";
  static final String SERVICE = "dlt.service";
  static final String REASON = "dlt.reason";

  /** A reason is for people; a stack trace's worth of text is not. */
  private static final int MAX_REASON_CHARS = 2_000;

  private final Producer<String, byte[]> producer;
  private final String service;
  private final String group;
  private final boolean ownsProducer;

  /**
   * @param producer a producer of {@link KafkaClients#producer}; not closed here
   * @param service who dead-letters (e.g. {@code worker-1}), recorded with each record
   * @param group the consumer group the records were consumed in
   */
  public DeadLetters(Producer<String, byte[]> producer, String service, String group) {
    this(producer, service, group, false);
  }

  private DeadLetters(
      Producer<String, byte[]> producer, String service, String group, boolean ownsProducer) {
    this.producer = producer;
    this.service = service;
    this.group = group;
    this.ownsProducer = ownsProducer;
  }

  /** A publisher with a producer of its own, closed by {@link #close()}. */
  public static DeadLetters withOwnProducer(KafkaClients kafka, String service, String group) {
    return new DeadLetters(kafka.newProducer(service + "-dead-letters"), service, group, true);
  }

  @Override
  public void close() {
    if (ownsProducer) producer.close(KafkaClients.CLOSE_TIMEOUT);
  }

  /**
   * Publishes the copy and waits until the broker has it (at most {@link KafkaClients#ACK_WAIT}),
   * so the caller can commit past the record. Never throws: if the broker does not take the copy,
   * the record is logged as lost and the consumer still goes on (it must not stop on one record).
   *
   * @return whether the copy is durable
   */
  public boolean publish(ConsumerRecord<String, byte[]> record, String reason) {
    ProducerRecord<String, byte[]> copy =
        new ProducerRecord<>(Topics.DEAD_LETTERS.name(), null, record.key(), record.value());
    record.headers().forEach(copy.headers()::add);
    Headers h = copy.headers();
    put(h, TOPIC, record.topic());
    put(h, PARTITION, Integer.toString(record.partition()));
    put(h, OFFSET, Long.toString(record.offset()));
    put(h, GROUP, group);
    put(h, SERVICE, service);
    put(h, REASON, truncate(reason));
    try {
      producer.send(copy).get(KafkaClients.ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("{}: not dead-lettered (interrupted)", coordinates(record));
      return false;
    } catch (Exception e) {
      LOG.error(
          "{}: could not be dead-lettered, skipped anyway: {}", coordinates(record), e.toString());
      return false;
    }
  }

  /** {@code topic-partition@offset}, as every consumer logs a record. */
  public static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name); // a dead letter dead-lettered again names its latest source
    headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
  }

  private static String truncate(String reason) {
    if (reason == null) return "";
    return reason.length() <= MAX_REASON_CHARS
        ? reason
        : reason.substring(0, MAX_REASON_CHARS) + "…";
  }
}
