package dev.reelfarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTopologyTest {
  private static final Map<String, String> GIVEN_FOR_EVERY_SERVICE =
      Map.of(
          "reelfarm.worker.simulate-step-ms", "100",
          "reelfarm.encoder.max-attempts", "1",
          "reelfarm.dispatch.max-in-flight", "8",
          "quarkus.log.level", "DEBUG");

  @Test
  void aKeyOfOneServicesOwnNamespaceGoesToThatServiceAlone() {
    assertThat(ServiceTopology.farmWideProperties(GIVEN_FOR_EVERY_SERVICE, null))
        .containsOnlyKeys("reelfarm.dispatch.max-in-flight", "quarkus.log.level");
    assertThat(
            ServiceTopology.farmWideProperties(
                GIVEN_FOR_EVERY_SERVICE, ServiceTopology.WORKER_NAMESPACE))
        .containsOnlyKeys(
            "reelfarm.worker.simulate-step-ms",
            "reelfarm.dispatch.max-in-flight",
            "quarkus.log.level");
    assertThat(
            ServiceTopology.farmWideProperties(
                GIVEN_FOR_EVERY_SERVICE, ServiceTopology.ENCODER_NAMESPACE))
        .containsOnlyKeys(
            "reelfarm.encoder.max-attempts",
            "reelfarm.dispatch.max-in-flight",
            "quarkus.log.level");
  }
}
