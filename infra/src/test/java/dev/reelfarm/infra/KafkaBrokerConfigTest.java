package dev.reelfarm.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {

  @Test
  void oneNodeClusterHasReplicationFactorOneForItsInternalTopics() {
    var p = KafkaBroker.serverProperties(Path.of("/data"), 9092, 9093, Optional.empty());
    // Without these a group consumer waits forever, silently (measured on Kafka 4.1.1).
    assertThat(p)
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0");
    assertThat(p)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "1")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
        .containsEntry("log.dirs", "/data")
        .containsEntry("auto.create.topics.enable", "false");
  }

  @Test
  void anAdvertisedHostAddsAListenerOnEveryInterfaceAndKeepsTheLocalOneOnLoopback() {
    var p =
        KafkaBroker.serverProperties(Path.of("/data"), 9092, 9093, Optional.of("10.0.0.5:9094"));
    assertThat(p)
        .containsEntry(
            "listeners",
            "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,EXTERNAL://0.0.0.0:9094")
        .containsEntry(
            "advertised.listeners", "PLAINTEXT://127.0.0.1:9092,EXTERNAL://10.0.0.5:9094")
        .containsEntry("inter.broker.listener.name", "PLAINTEXT")
        .containsEntry(
            "listener.security.protocol.map",
            "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT");
  }
}
