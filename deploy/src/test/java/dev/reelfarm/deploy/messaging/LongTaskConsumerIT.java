package dev.reelfarm.deploy.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.deploy.local.KafkaBroker;
import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The long-task consumer on a real broker: failures are reported, never swallowed; finished tasks stay committed. */
@Timeout(120)
class LongTaskConsumerIT {
  @TempDir Path dir;

  @Test
  void anErrorInTheHandlerIsReportedAsGivenUpInsteadOfVanishing() throws Exception {
    try (var kafka = KafkaBroker.start(dir.resolve("kafka"), dir.resolve("kafka.log"))) {
      UUID job = UUID.randomUUID();
      List<String> givenUp = new CopyOnWriteArrayList<>();
      CountDownLatch reported = new CountDownLatch(1);
      Running consumer =
          start(kafka, new Handler(task -> {
            throw new NoClassDefFoundError("dev/reelfarm/Gone (jar replaced under a running service)");
          }, (task, cause) -> {
            givenUp.add(task.jobId() + " " + cause.getMessage());
            reported.countDown();
          }));
      send(kafka, job);

      boolean wasReported = reported.await(60, TimeUnit.SECONDS);
      consumer.stop();

      assertThat(wasReported).isTrue();
      assertThat(givenUp).singleElement().asString().startsWith(job.toString()).contains("NoClassDefFoundError");
    }
  }

  /**
   * Each finished task wakes the polling thread; that wake-up must never leak into the offset commit
   * or the next poll, or the loop would die after the first task and every task would be redelivered.
   */
  @Test
  void tasksRunBackToBackAreEachHandledOnceAndCommitted() throws Exception {
    try (var kafka = KafkaBroker.start(dir.resolve("kafka"), dir.resolve("kafka.log"))) {
      List<UUID> first = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
      List<UUID> handled = new CopyOnWriteArrayList<>();
      CountDownLatch allThree = new CountDownLatch(first.size());
      Running consumer = start(kafka, new Handler(task -> {
        Thread.sleep(300); // long enough for heartbeat polls to run while the task does
        handled.add(task.jobId());
        allThree.countDown();
      }, (task, cause) -> handled.add(null)));
      for (UUID job : first) send(kafka, job);
      assertThat(allThree.await(60, TimeUnit.SECONDS)).isTrue();
      // stopping mid-commit would rightly leave a task for redelivery
      ConsumerGroups.awaitConsumed(kafka.bootstrap(), "long-task-test", Topics.JOB_CONTROL, Duration.ofSeconds(30));
      consumer.stop();
      assertThat(handled).containsExactlyInAnyOrderElementsOf(first); // keyed by job: several partitions

      // A new member of the group starts after the committed offsets: only the new task arrives.
      UUID later = UUID.randomUUID();
      List<UUID> handledAfterRestart = new CopyOnWriteArrayList<>();
      CountDownLatch laterHandled = new CountDownLatch(1);
      Running restarted = start(kafka, new Handler(task -> {
        handledAfterRestart.add(task.jobId());
        if (task.jobId().equals(later)) laterHandled.countDown();
      }, (task, cause) -> handledAfterRestart.add(null)));
      send(kafka, later);
      assertThat(laterHandled.await(60, TimeUnit.SECONDS)).isTrue();
      restarted.stop();
      assertThat(handledAfterRestart).containsExactly(later);
    }
  }

  interface TaskBody {
    void run(JobControl task) throws Exception;
  }

  record Handler(TaskBody body, BiConsumer<JobControl, Exception> onGiveUp) implements LongTaskConsumer.Handler<JobControl> {
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

  private static Running start(KafkaBroker kafka, Handler handler) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "long-task-test");
    var consumer = new LongTaskConsumer<>(props, Topics.JOB_CONTROL, JobControl.class, handler, 3, Duration.ofMillis(10));
    Thread loop = new Thread(consumer::run);
    loop.start();
    return new Running(consumer, loop);
  }

  private static void send(KafkaBroker kafka, UUID job) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (var producer = new KafkaProducer<String, String>(p)) {
      var control = new JobControl(JobControl.SCHEMA_VERSION, job, JobControl.Action.CANCEL, System.currentTimeMillis());
      producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, job.toString(), MessageCodec.toJson(control))).get();
    }
  }
}
