package dev.reelfarm.schema.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.testing.ConsumerGroups;
import dev.reelfarm.testing.TestKafka;
import dev.reelfarm.testing.WithKafka;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The long-task consumer on a real broker: failures are reported, never swallowed; finished tasks
 * stay committed.
 */
@Timeout(120)
@WithKafka
class LongTaskConsumerIT {
  /** A topic and group of each test's own on the shared broker, so no test sees another's tasks. */
  private Topic<JobControl> topic;

  private String group;

  private final TestKafka kafka;

  LongTaskConsumerIT(TestKafka kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void ownTopic() {
    topic = new Topic<>("long-task-" + UUID.randomUUID(), 3, JobControl.class);
    group = topic.name() + "-group";
    kafka.createTopic(topic.name(), topic.partitions());
  }

  @Test
  void anErrorInTheHandlerIsReportedAsGivenUpInsteadOfVanishing() throws Exception {
    UUID job = UUID.randomUUID();
    List<String> givenUp = new CopyOnWriteArrayList<>();
    CountDownLatch reported = new CountDownLatch(1);
    Running consumer =
        start(
            new Handler(
                task -> {
                  throw new NoClassDefFoundError(
                      "dev/reelfarm/Gone (jar replaced under a running service)");
                },
                (task, cause) -> {
                  givenUp.add(task.jobId() + " " + cause.getMessage());
                  reported.countDown();
                }));
    send(job);

    boolean wasReported = reported.await(60, TimeUnit.SECONDS);
    consumer.stop();

    assertThat(wasReported).isTrue();
    assertThat(givenUp)
        .singleElement()
        .asString()
        .startsWith(job.toString())
        .contains("NoClassDefFoundError");
  }

  /**
   * Each finished task wakes the polling thread; that wake-up must never leak into the offset
   * commit or the next poll, or the loop would die after the first task and every task would be
   * redelivered.
   */
  @Test
  void tasksRunBackToBackAreEachHandledOnceAndCommitted() throws Exception {
    List<UUID> first = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    List<UUID> handled = new CopyOnWriteArrayList<>();
    CountDownLatch allThree = new CountDownLatch(first.size());
    Running consumer =
        start(
            new Handler(
                task -> {
                  Thread.sleep(300); // long enough for heartbeat polls to run while the task does
                  handled.add(task.jobId());
                  allThree.countDown();
                },
                (task, cause) -> handled.add(null)));
    for (UUID job : first) send(job);
    assertThat(allThree.await(60, TimeUnit.SECONDS)).isTrue();
    // stopping mid-commit would rightly leave a task for redelivery
    ConsumerGroups.awaitConsumed(kafka.bootstrap(), group, topic.name(), Duration.ofSeconds(30));
    consumer.stop();
    assertThat(handled)
        .containsExactlyInAnyOrderElementsOf(first); // keyed by job: several partitions

    // A new member of the group starts after the committed offsets: only the new task arrives.
    UUID later = UUID.randomUUID();
    List<UUID> handledAfterRestart = new CopyOnWriteArrayList<>();
    CountDownLatch laterHandled = new CountDownLatch(1);
    Running restarted =
        start(
            new Handler(
                task -> {
                  handledAfterRestart.add(task.jobId());
                  if (task.jobId().equals(later)) laterHandled.countDown();
                },
                (task, cause) -> handledAfterRestart.add(null)));
    send(later);
    assertThat(laterHandled.await(60, TimeUnit.SECONDS)).isTrue();
    restarted.stop();
    assertThat(handledAfterRestart).containsExactly(later);
  }

  interface TaskBody {
    void run(JobControl task) throws Exception;
  }

  record Handler(TaskBody body, BiConsumer<JobControl, Exception> onGiveUp)
      implements LongTaskConsumer.Handler<JobControl> {
    @Override
    public void handle(JobControl task) throws Exception {
      body.run(task);
    }

    @Override
    public void giveUp(JobControl task, Exception cause) {
      onGiveUp.accept(task, cause);
    }
  }

  record Running(LongTaskConsumer<JobControl> consumer, Thread loop) {
    void stop() throws InterruptedException {
      consumer.close();
      loop.join(10_000);
      assertThat(loop.isAlive()).as("consumer loop stopped").isFalse();
    }
  }

  private Running start(Handler handler) {
    Properties props = new KafkaClients(kafka.bootstrap()).consumer("long-task-test", group);
    var consumer = new LongTaskConsumer<>(props, topic, handler, 3, Duration.ofMillis(10));
    Thread loop = new Thread(consumer::run);
    loop.start();
    return new Running(consumer, loop);
  }

  private void send(UUID job) throws Exception {
    try (var producer = new KafkaClients(kafka.bootstrap()).newProducer("long-task-test")) {
      var control =
          new JobControl(
              JobControl.SCHEMA_VERSION, job, JobControl.Action.CANCEL, System.currentTimeMillis());
      topic.send(producer, job.toString(), control).get();
    }
  }
}
