package dev.reelfarm.schema.config;

import io.smallrye.config.WithDefault;

/**
 * Kafka, the same for every service: {@code reelfarm.kafka.*}. A configuration group: the
 * orchestrator nests it as {@code kafka()} in its {@code @ConfigMapping(prefix = "reelfarm")}; the
 * plain-JVM services get it from {@link FarmConfig}.
 */
public interface KafkaConfig {
  String PREFIX = "reelfarm.kafka";

  /**
   * {@code reelfarm.kafka.bootstrap} (default {@code 127.0.0.1:9092}): the brokers to bootstrap
   * from.
   */
  @WithDefault("127.0.0.1:9092")
  String bootstrap();
}
