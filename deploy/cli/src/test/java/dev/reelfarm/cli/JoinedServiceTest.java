package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinedServiceTest {

  @Test
  void theFarmsKeysReachTheServiceUnderTheirMicroProfileEnvironmentNames() {
    assertThat(JoinedService.environmentName("reelfarm.kafka.bootstrap"))
        .isEqualTo("REELFARM_KAFKA_BOOTSTRAP");
    assertThat(JoinedService.environmentName("reelfarm.artifacts.s3.path-style"))
        .isEqualTo("REELFARM_ARTIFACTS_S3_PATH_STYLE");
  }
}
