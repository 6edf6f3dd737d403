package dev.reelfarm.schema.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topic;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.ConsumerGroups;
import dev.reelfarm.testing.TestKafka;
import dev.reelfarm.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
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
  private KafkaProducer<String, byte[]> producer;
  private DeadLetters deadLetters;

  LongTaskConsumerIT(TestKafka kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void ownTopic() {
    topic = new Topic<>("long-task-" + UUID.randomUUID(), 3, JobControl.class);
    group = topic.name() + "-group";
    kafka.createTopic(topic.name(), topic.partitions());
    kafka.createTopic(Topics.DEAD_LETTERS.name(), Topics.DEAD_LETTERS.partitions());
    producer = new KafkaClients(kafka.bootstrap()).newProducer("long-task-test");
    deadLetters = new DeadLetters(producer, "long-task-test", group);
  }

  @AfterEach
  void closeProducer() {
    producer.close();
  }

  /**
   * Null, not JSON, {@code {}} and an unknown schema version: each is dead-lettered with its
   * coordinates and committed past, and the good task behind them is handled.
   */
  @Test
  void unreadableRecordsAreDeadLetteredAndTheGoodOneBehindThemIsHandled() throws Exception {
    UUID job = UUID.randomUUID();
    String futureVersion = "{\"schemaVersion\":99,\"jobId\":\"" + job + "\",\"action\":\"CANCEL\"}";
    List<byte[]> bad =
        Arrays.asList(
            null,
            "not json".getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8),
            futureVersion.getBytes(StandardCharsets.UTF_8));
    for (byte[] value : bad) {
      producer.send(new ProducerRecord<>(topic.name(), 0, "bad", value)).get();
    }
    UUID good = UUID.randomUUID();
    producer.send(new ProducerRecord<>(topic.name(), 0, "good", control(good))).get();
    List<UUID> handled = new CopyOnWriteArrayList<>();
    CountDownLatch goodHandled = new CountDownLatch(1);
    Running consumer =
        start(
            new Handler(
                task -> {
                  handled.add(task.jobId());
                  goodHandled.countDown();
                },
                (task, cause) -> handled.add(null)));

    assertThat(goodHandled.await(60, TimeUnit.SECONDS)).isTrue();
    ConsumerGroups.awaitConsumed(kafka.bootstrap(), group, topic.name(), Duration.ofSeconds(30));
    consumer.stop();

    assertThat(handled).containsExactly(good);
    List<DeadLetter> letters = deadLettersOf(topic.name(), bad.size());
    assertThat(letters).extracting(DeadLetter::sourceOffset).containsExactly(0L, 1L, 2L, 3L);
    assertThat(letters).extracting(DeadLetter::sourcePartition).containsOnly(0);
    assertThat(letters).extracting(DeadLetter::consumerGroup).containsOnly(group);
    assertThat(letters).extracting(DeadLetter::service).containsOnly("long-task-test");
    assertThat(letters).extracting(DeadLetter::key).containsOnly("bad");
    assertThat(letters)
        .extracting(DeadLetter::value)
        .containsExactly(bad.get(0), bad.get(1), bad.get(2), bad.get(3));
    assertThat(letters.get(0).reason()).contains("no value");
    assertThat(letters.get(2).reason()).contains("schemaVersion 0");
    assertThat(letters.get(3).reason()).contains("schemaVersion 99");
  }

  @Test
  void aTaskThatKeepsFailingIsGivenUpAndDeadLetteredAndTheNextOneIsHandled() throws Exception {
    UUID failing = UUID.randomUUID();
    UUID next = UUID.randomUUID();
    producer.send(new ProducerRecord<>(topic.name(), 1, "k", control(failing))).get();
    producer.send(new ProducerRecord<>(topic.name(), 1, "k", control(next))).get();
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch nextHandled = new CountDownLatch(1);
    Running consumer =
        start(
            new Handler(
                task -> {
                  if (task.jobId().equals(failing)) throw new IllegalStateException("boom");
                  seen.add("handled " + task.jobId());
                  nextHandled.countDown();
                },
                (task, cause) -> seen.add("gave up " + task.jobId())));

    assertThat(nextHandled.await(60, TimeUnit.SECONDS)).isTrue();
    consumer.stop();

    assertThat(seen).containsExactly("gave up " + failing, "handled " + next);
    assertThat(deadLettersOf(topic.name(), 1))
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.sourcePartition()).isEqualTo(1);
              assertThat(letter.sourceOffset()).isZero();
              assertThat(letter.reason()).contains("failed after 3 attempts").contains("boom");
            });
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
    var consumer =
        new LongTaskConsumer<>(props, topic, handler, deadLetters, 3, Duration.ofMillis(10));
    Thread loop = new Thread(consumer::run);
    loop.start();
    return new Running(consumer, loop);
  }

  private void send(UUID job) throws Exception {
    producer.send(new ProducerRecord<>(topic.name(), job.toString(), control(job))).get();
  }

  private byte[] control(UUID job) {
    return MessageCodec.toBytes(
        new JobControl(
            JobControl.SCHEMA_VERSION, job, JobControl.Action.CANCEL, System.currentTimeMillis()));
  }

  /** The dead letters from {@code source} (read from the start), in source offset order. */
  private List<DeadLetter> deadLettersOf(String source, int expected) {
    Properties props =
        new KafkaClients(kafka.bootstrap())
            .consumer("dlt-reader", "dlt-reader-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<DeadLetter> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(props)) {
      reader.subscribe(List.of(Topics.DEAD_LETTERS.name()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (found.size() < expected && System.nanoTime() < deadline) {
        for (var record : reader.poll(Duration.ofMillis(500))) {
          DeadLetter letter = DeadLetter.of(record);
          if (letter.sourceTopic().equals(source)) found.add(letter);
        }
      }
    }
    found.sort(java.util.Comparator.comparingLong(DeadLetter::sourceOffset));
    return found;
  }
}
