package dev.reelfarm.schema.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FarmConfigTest {

  /** A configuration from these system properties and environment variables only. */
  static FarmConfig farm(Map<String, String> properties, Map<String, String> env) {
    return FarmConfig.of(
        FarmConfig.build(
            FarmConfig.builder()
                .withSources(
                    new PropertiesConfigSource(properties, "system properties", 400),
                    new EnvConfigSource(env, 300))));
  }

  @Test
  void everyServiceGetsTheSameDefaults() {
    FarmConfig farm = farm(Map.of(), Map.of());

    assertThat(farm.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(farm.artifacts().dir()).isEqualTo(Path.of(".reelfarm/artifacts"));
    assertThat(farm.model().bundle()).isEqualTo(Path.of("models/tiny-shapes"));
  }

  @Test
  void environmentVariablesSetTheKeysAndSystemPropertiesWinOverThem() {
    FarmConfig farm =
        farm(
            Map.of("reelfarm.model.bundle", "/opt/models/a"),
            Map.of(
                "REELFARM_KAFKA_BOOTSTRAP",
                "kafka:9092",
                "REELFARM_ARTIFACTS_DIR",
                "/srv/artifacts",
                "REELFARM_MODEL_BUNDLE",
                "/opt/models/b"));

    assertThat(farm.kafka().bootstrap()).isEqualTo("kafka:9092");
    assertThat(farm.artifacts().dir()).isEqualTo(Path.of("/srv/artifacts"));
    assertThat(farm.model().bundle()).isEqualTo(Path.of("/opt/models/a"));
  }

  @Test
  void aMistypedSharedKeyIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> farm(Map.of("reelfarm.kafka.bootstrap-servers", "kafka:9092"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("reelfarm.kafka.bootstrap-servers");
  }

  @Test
  void otherServicesKeysInTheSharedNamespaceAreAccepted() {
    FarmConfig farm =
        farm(
            Map.of(
                "reelfarm.db.url",
                "jdbc:postgresql://db/reelfarm",
                "reelfarm.planning.context-frames",
                "2",
                "reelfarm.encoder.max-attempts",
                "3"),
            Map.of("REELFARM_DB_PASSWORD", "secret", "REELFARM_WORKER_THREADS", "4"));

    assertThat(farm.kafka().bootstrap()).isEqualTo("127.0.0.1:9092");
  }
}
