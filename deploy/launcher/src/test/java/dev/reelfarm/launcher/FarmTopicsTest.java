package dev.reelfarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.infra.TopicSpec;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.messages.Topics;
import org.junit.jupiter.api.Test;

class FarmTopicsTest {
  @Test
  void theFarmCreatesEveryTopicWithItsPartitionsAndGrowsOnlyTheChunkTasks() {
    assertThat(FarmInfrastructure.farmTopics())
        .extracting(TopicSpec::name)
        .containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(Topic::name).toList());
    for (TopicSpec topic : FarmInfrastructure.farmTopics()) {
      assertThat(topic.partitions()).isEqualTo(Topics.partitions(topic.name()));
      assertThat(topic.growable()).isEqualTo(topic.name().equals(Topics.CHUNK_TASKS.name()));
    }
  }
}
