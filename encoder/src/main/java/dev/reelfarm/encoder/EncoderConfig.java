package dev.reelfarm.encoder;

import dev.reelfarm.schema.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The encoder's settings. Each key is read with {@link Settings}: the system property, then the
 * environment variable ({@code reelfarm.kafka.bootstrap} → {@code REELFARM_KAFKA_BOOTSTRAP}), then
 * the default.
 */
public record EncoderConfig(
    String kafkaBootstrap, Path artifactsDir, String encoderId, int maxAttempts, Duration retryBackoff) {

  /** Kafka bootstrap servers; default {@code localhost:9092}. */
  public static final String KAFKA_BOOTSTRAP = "reelfarm.kafka.bootstrap";
  /** Root of the shared artifact store (frames in, videos out); default {@code .reelfarm/artifacts}. */
  public static final String ARTIFACTS_DIR = "reelfarm.artifacts.dir";
  /** This encoder's name in logs and Kafka client ids; default {@code encoder-<pid>}. */
  public static final String ENCODER_ID = "reelfarm.encoder.id";
  /** Tries per encode task before it is reported FAILED (poison tasks get one); default {@code 3}. */
  public static final String MAX_ATTEMPTS = "reelfarm.encoder.max-attempts";
  /** Wait before the first retry of a failed encode, doubled each retry; default {@code 2000} ms. */
  public static final String RETRY_BACKOFF_MS = "reelfarm.encoder.retry-backoff-ms";

  public EncoderConfig {
    if (maxAttempts < 1) throw new IllegalArgumentException(MAX_ATTEMPTS + " must be at least 1, was " + maxAttempts);
    if (retryBackoff.isNegative()) throw new IllegalArgumentException(RETRY_BACKOFF_MS + " must not be negative");
  }

  public static EncoderConfig fromSettings() {
    return new EncoderConfig(
        Settings.string(KAFKA_BOOTSTRAP, "localhost:9092"),
        Path.of(Settings.string(ARTIFACTS_DIR, ".reelfarm/artifacts")),
        Settings.string(ENCODER_ID, "encoder-" + ProcessHandle.current().pid()),
        Settings.integer(MAX_ATTEMPTS, 3),
        Duration.ofMillis(Settings.integer(RETRY_BACKOFF_MS, 2000)));
  }
}
