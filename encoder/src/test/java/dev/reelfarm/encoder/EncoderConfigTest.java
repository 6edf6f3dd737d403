package dev.reelfarm.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.config.InvalidConfigException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderConfigTest {

  /** The encoder's configuration from these system properties and environment variables only. */
  private static SmallRyeConfig sources(Map<String, String> properties, Map<String, String> env) {
    return FarmConfig.build(
        FarmConfig.builder(EncoderConfig.class)
            .withSources(
                new PropertiesConfigSource(properties, "system properties", 400),
                new EnvConfigSource(env, 300)));
  }

  private static EncoderConfig encoder(Map<String, String> properties, Map<String, String> env) {
    return EncoderConfig.from(sources(properties, env));
  }

  @Test
  void defaultsAreTheDocumentedOnesAndKafkaIsTheSameAsEverywhere() {
    SmallRyeConfig sources = sources(Map.of(), Map.of());
    EncoderConfig config = EncoderConfig.from(sources);
    FarmConfig farm = FarmConfig.of(sources);

    assertThat(config.encoderId()).isEqualTo("encoder-" + ProcessHandle.current().pid());
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.httpPort()).isEqualTo(8082);
    assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(2000));
    // It said localhost:9092 while the other services said 127.0.0.1:9092.
    assertThat(farm.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(farm.artifacts().dir()).isEqualTo(Path.of(".reelfarm/artifacts"));
  }

  @Test
  void environmentVariablesSetDashedKeys() {
    EncoderConfig config =
        encoder(
            Map.of(),
            Map.of(
                "REELFARM_ENCODER_ID",
                "enc-a",
                "REELFARM_ENCODER_MAX_ATTEMPTS",
                "5",
                "REELFARM_ENCODER_RETRY_BACKOFF_MS",
                "10"));

    assertThat(config.encoderId()).isEqualTo("enc-a");
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> encoder(Map.of("reelfarm.encoder.max-attempts", "0"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.encoder.max-attempts must be at least 1, was 0");
    assertThatThrownBy(() -> encoder(Map.of("reelfarm.encoder.retry-backoff-ms", "soon"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.encoder.retry-backoff-ms");
  }

  @Test
  void aMistypedEncoderKeyIsRefusedButOtherServicesKeysAreNot() {
    assertThatThrownBy(() -> encoder(Map.of("reelfarm.encoder.max-attempt", "3"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.encoder.max-attempt");

    EncoderConfig config =
        encoder(
            Map.of(
                "reelfarm.worker.threads",
                "2",
                "reelfarm.worker.step-event-ms",
                "500",
                "reelfarm.db.url",
                "jdbc:postgresql://db/r",
                "reelfarm.model.bundle",
                "/opt/m"),
            Map.of("REELFARM_WORKER_NODES", "4", "REELFARM_DB_USER", "postgres"));
    assertThat(config.maxAttempts()).isEqualTo(3);
  }
}
