package dev.reelfarm.schema.messaging;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record of {@link dev.reelfarm.schema.messages.Topics#DEAD_LETTERS}, read back: where the
 * original came from, who set it aside and why, and its key and value as they were.
 *
 * @param value the original value bytes; null for a record that had none
 */
public record DeadLetter(
    String sourceTopic,
    int sourcePartition,
    long sourceOffset,
    String consumerGroup,
    String service,
    String reason,
    String key,
    byte[] value) {

  /** Reads the {@code dlt.*} headers {@link DeadLetters} wrote; absent ones read as unknown. */
  public static DeadLetter of(ConsumerRecord<String, byte[]> record) {
    return new DeadLetter(
        header(record, DeadLetters.TOPIC, "?"),
        (int) number(record, DeadLetters.PARTITION),
        number(record, DeadLetters.OFFSET),
        header(record, DeadLetters.GROUP, "?"),
        header(record, DeadLetters.SERVICE, "?"),
        header(record, DeadLetters.REASON, ""),
        record.key(),
        record.value());
  }

  private static String header(ConsumerRecord<?, ?> record, String name, String absent) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null ? absent : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static long number(ConsumerRecord<?, ?> record, String name) {
    try {
      return Long.parseLong(header(record, name, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
