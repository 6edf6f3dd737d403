package dev.reelfarm.encoder;

import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.config.InvalidConfigException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The encoder's own settings, {@code reelfarm.encoder.*} (system property, else env var {@code
 * REELFARM_ENCODER_*}, else the default shown); Kafka and the artifact store come from the shared
 * {@link FarmConfig}. An unknown {@code reelfarm.encoder.*} key stops the encoder.
 */
@ConfigMapping(prefix = "reelfarm.encoder")
public interface EncoderConfig {

  /**
   * {@code reelfarm.encoder.id} (default {@code encoder-<pid>}): this encoder's name in logs and
   * Kafka client ids.
   */
  Optional<String> id();

  /**
   * {@code reelfarm.encoder.max-attempts} (default {@code 3}): tries per encode task before it is
   * reported FAILED (poison tasks get one).
   */
  @WithDefault("3")
  int maxAttempts();

  /**
   * {@code reelfarm.encoder.retry-backoff-ms} (default {@code 2000}): wait before the first retry
   * of a failed encode, doubled each retry.
   */
  @WithDefault("2000")
  long retryBackoffMs();

  /**
   * {@code reelfarm.encoder.http-port} (default {@code 8082}; {@code 0}: any free port): the
   * encoder's health endpoint ({@code /q/health}, {@code /q/health/live}, {@code /q/health/ready}).
   */
  @WithDefault("8082")
  int httpPort();

  default String encoderId() {
    return id().orElse("encoder-" + ProcessHandle.current().pid());
  }

  default Duration retryBackoff() {
    return Duration.ofMillis(retryBackoffMs());
  }

  /**
   * The encoder settings of {@code config} (built by {@link FarmConfig#builder} with this mapping),
   * checked for the rules no type can express.
   *
   * @throws InvalidConfigException naming each broken rule
   */
  static EncoderConfig from(SmallRyeConfig config) {
    EncoderConfig encoder = config.getConfigMapping(EncoderConfig.class);
    List<String> problems = new ArrayList<>();
    if (encoder.maxAttempts() < 1) {
      problems.add(
          "reelfarm.encoder.max-attempts must be at least 1, was " + encoder.maxAttempts());
    }
    if (encoder.httpPort() < 0 || encoder.httpPort() > 65535)
      problems.add("reelfarm.encoder.http-port must be 0..65535, was " + encoder.httpPort());
    if (encoder.retryBackoffMs() < 0)
      problems.add("reelfarm.encoder.retry-backoff-ms must not be negative");
    if (!problems.isEmpty()) throw new InvalidConfigException(String.join("; ", problems));
    return encoder;
  }
}
