package dev.reelfarm.schema.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/**
 * The model bundle, the same for every service: {@code reelfarm.model.*}. A configuration group
 * like {@link KafkaConfig}.
 */
public interface ModelConfig {
  String PREFIX = "reelfarm.model";

  /**
   * {@code reelfarm.model.bundle} (default {@code models/tiny-shapes}): the model bundle directory
   * (format: models/README.md); the worker runs it, the orchestrator plans with its manifest.
   */
  @WithDefault("models/tiny-shapes")
  Path bundle();
}
