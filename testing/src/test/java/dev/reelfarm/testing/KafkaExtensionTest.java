package dev.reelfarm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

@WithKafka
class KafkaExtensionTest {

  @Test
  void createsTopicsOnTheSharedBrokerIdempotently(TestKafka kafka) throws Exception {
    kafka.createTopic("extension-test", 4).createTopic("extension-test", 4);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
      var topic =
          admin
              .describeTopics(Set.of("extension-test"))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get("extension-test");
      assertThat(topic.partitions()).hasSize(4);
    }
  }
}
