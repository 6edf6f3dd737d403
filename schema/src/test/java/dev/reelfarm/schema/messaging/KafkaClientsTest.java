package dev.reelfarm.schema.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  private final KafkaClients kafka = new KafkaClients("kafka-1:9092,kafka-2:9092");

  @Test
  void producersAreDurableIdempotentAndBounded() {
    Properties p = kafka.producer("worker-1-events");

    assertThat(p)
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-1:9092,kafka-2:9092")
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "worker-1-events")
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000")
        .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
        .containsEntry(
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    assertThat(KafkaClients.ACK_WAIT).isGreaterThan(KafkaClients.DELIVERY_TIMEOUT);
  }

  @Test
  void consumersJoinTheirGroupAndReadStringKeysAndJsonBytes() {
    Properties p = kafka.consumer("encoder-7", "reelfarm-encoders");

    assertThat(p)
        .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-1:9092,kafka-2:9092")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "encoder-7")
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "reelfarm-encoders")
        .containsEntry(
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
        .containsEntry(
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
  }

  @Test
  void aDeadConsumersPartitionsMoveOnWithinTwentySeconds() {
    Properties p = kafka.consumer("orchestrator-events", "reelfarm-orchestrator");

    assertThat(p)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000")
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "5000");
  }
}
