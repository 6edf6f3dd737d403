package dev.reelfarm.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Test waits on a real broker's consumer groups. */
public final class ConsumerGroups {
  private ConsumerGroups() {}

  /** Waits until {@code group} has committed everything produced to {@code topic} so far. */
  public static void awaitConsumed(String bootstrap, String group, String topic, Duration timeout)
      throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      var partitions =
          admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(
          info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      Instant deadline = Instant.now().plus(timeout);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean caughtUp =
            ends.entrySet().stream()
                .allMatch(
                    e ->
                        e.getValue().offset() == 0
                            || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue().offset()));
        if (caughtUp) return;
        if (Instant.now().isAfter(deadline))
          throw new TimeoutException(group + " did not consume " + topic + " in " + timeout);
        Thread.sleep(100);
      }
    }
  }
}
