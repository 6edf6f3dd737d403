package dev.reelfarm.schema.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/**
 * The shared artifact store, the same for every service: {@code reelfarm.artifacts.*}. A
 * configuration group like {@link KafkaConfig}.
 */
public interface ArtifactsConfig {
  String PREFIX = "reelfarm.artifacts";

  /**
   * {@code reelfarm.artifacts.dir} (default {@code .reelfarm/artifacts}): root directory of the
   * store (frames, latents, previews, videos), shared by all services.
   */
  @WithDefault(".reelfarm/artifacts")
  Path dir();
}
