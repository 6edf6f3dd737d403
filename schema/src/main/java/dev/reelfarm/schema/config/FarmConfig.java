package dev.reelfarm.schema.config;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The settings every service shares, and how the plain-JVM services (worker, encoder) read their
 * configuration: SmallRye Config from system properties, then environment variables ({@code
 * reelfarm.kafka.bootstrap} ↔ {@code REELFARM_KAFKA_BOOTSTRAP}), then the defaults the mapping
 * interfaces declare.
 *
 * <p>The farm hands one {@code reelfarm.*} namespace to every service, so unknown keys are refused
 * only under the prefixes this service maps (the shared groups' and its own, e.g. {@code
 * reelfarm.worker}): a typo there stops the service naming the key, another service's keys pass.
 */
public record FarmConfig(KafkaConfig kafka, ArtifactsConfig artifacts, ModelConfig model) {

  /**
   * The shared groups and {@code serviceMappings} (each a {@code @ConfigMapping}), without sources.
   */
  public static SmallRyeConfigBuilder builder(Class<?>... serviceMappings) {
    SmallRyeConfigBuilder builder =
        new SmallRyeConfigBuilder()
            .withMapping(KafkaConfig.class, KafkaConfig.PREFIX)
            .withMapping(ArtifactsConfig.class, ArtifactsConfig.PREFIX)
            .withMapping(ModelConfig.class, ModelConfig.PREFIX)
            .withValidateUnknown(true);
    for (Class<?> mapping : serviceMappings) builder.withMapping(mapping);
    return builder;
  }

  /**
   * This process's configuration: system properties over environment variables over defaults.
   *
   * @throws InvalidConfigException naming every bad or unknown key
   */
  public static SmallRyeConfig load(Class<?>... serviceMappings) {
    return build(builder(serviceMappings).addDefaultSources());
  }

  /**
   * Builds {@code builder}, turning SmallRye's failures into one {@link InvalidConfigException}.
   */
  public static SmallRyeConfig build(SmallRyeConfigBuilder builder) {
    try {
      return builder.build();
    } catch (RuntimeException e) {
      throw InvalidConfigException.from(e);
    }
  }

  /** The shared groups of a configuration built by {@link #builder}. */
  public static FarmConfig of(SmallRyeConfig config) {
    return new FarmConfig(
        config.getConfigMapping(KafkaConfig.class, KafkaConfig.PREFIX),
        config.getConfigMapping(ArtifactsConfig.class, ArtifactsConfig.PREFIX),
        config.getConfigMapping(ModelConfig.class, ModelConfig.PREFIX));
  }
}
