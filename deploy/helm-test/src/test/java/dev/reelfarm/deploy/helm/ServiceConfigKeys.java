package dev.reelfarm.deploy.helm;

import dev.reelfarm.encoder.EncoderConfig;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.schema.config.ArtifactsConfig;
import dev.reelfarm.schema.config.KafkaConfig;
import dev.reelfarm.schema.config.ModelConfig;
import dev.reelfarm.worker.WorkerConfig;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The configuration keys of each service, read from its {@code @ConfigMapping} interfaces. */
final class ServiceConfigKeys {
  private static final String WORKER_PREFIX = "reelfarm.worker";
  private static final String ENCODER_PREFIX = "reelfarm.encoder";

  private ServiceConfigKeys() {}

  /** The orchestrator's keys (its mapping nests the shared groups). */
  static Map<String, Property> orchestrator() {
    return of(new ConfigClass(ReelfarmConfig.class, "reelfarm"));
  }

  static Map<String, Property> worker() {
    return service(WorkerConfig.class, WORKER_PREFIX);
  }

  static Map<String, Property> encoder() {
    return service(EncoderConfig.class, ENCODER_PREFIX);
  }

  /** Every key of every service, by name. */
  static Map<String, Property> all() {
    Map<String, Property> keys = new TreeMap<>(orchestrator());
    keys.putAll(worker());
    keys.putAll(encoder());
    return keys;
  }

  /** A plain service's own keys and the shared groups of {@code FarmConfig}. */
  static Map<String, Property> service(Class<?> mapping, String prefix) {
    Map<String, Property> keys = of(new ConfigClass(mapping, prefix));
    for (var shared :
        List.of(
            new ConfigClass(KafkaConfig.class, KafkaConfig.PREFIX),
            new ConfigClass(ArtifactsConfig.class, ArtifactsConfig.PREFIX),
            new ConfigClass(ModelConfig.class, ModelConfig.PREFIX))) keys.putAll(of(shared));
    return keys;
  }

  private static Map<String, Property> of(ConfigClass mapping) {
    return new TreeMap<>(ConfigMappings.getProperties(mapping));
  }
}
