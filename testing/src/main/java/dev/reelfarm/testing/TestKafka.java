package dev.reelfarm.testing;

import dev.reelfarm.infra.KafkaBroker;
import dev.reelfarm.infra.TopicSpec;
import java.util.List;

/**
 * The shared test broker, as a test sees it. It starts with no topics of its own: a test creates
 * the ones it uses ({@link #createTopics}, idempotent), and tests that need isolation use their own
 * topic names or consumer group ids.
 */
public final class TestKafka {
  private final String bootstrap;

  TestKafka(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Creates the topics that do not exist yet, with their partition counts. */
  public TestKafka createTopics(List<TopicSpec> topics) {
    KafkaBroker.ensureTopics(bootstrap, topics);
    return this;
  }

  public TestKafka createTopic(String name, int partitions) {
    return createTopics(List.of(new TopicSpec(name, partitions, false)));
  }
}
