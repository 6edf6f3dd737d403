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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The long-task consumer on a real broker: failures are reported, never swallowed. */
@Timeout(120)
class LongTaskConsumerIT {
  @TempDir Path dir;

  @Test
  void anErrorInTheHandlerIsReportedAsGivenUpInsteadOfVanishing() throws Exception {
    try (var kafka = KafkaBroker.start(dir.resolve("kafka"), dir.resolve("kafka.log"))) {
      UUID job = UUID.randomUUID();
      List<String> givenUp = new CopyOnWriteArrayList<>();
      CountDownLatch reported = new CountDownLatch(1);
      LongTaskConsumer.Handler<JobControl> handler =
          new LongTaskConsumer.Handler<>() {
            @Override
            public void handle(JobControl task) {
              throw new NoClassDefFoundError("dev/reelfarm/Gone (jar replaced under a running service)");
            }

            @Override
            public void giveUp(JobControl task, Exception cause) {
              givenUp.add(task.jobId() + " " + cause.getMessage());
              reported.countDown();
            }
          };
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "long-task-test");
      var consumer = new LongTaskConsumer<>(props, Topics.JOB_CONTROL, JobControl.class, handler, 3, Duration.ofMillis(10));
      Thread loop = new Thread(consumer::run);
      loop.start();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      try (var producer = new KafkaProducer<String, String>(p)) {
        var control = new JobControl(JobControl.SCHEMA_VERSION, job, JobControl.Action.CANCEL, System.currentTimeMillis());
        producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, job.toString(), MessageCodec.toJson(control))).get();
      }

      boolean wasReported = reported.await(60, TimeUnit.SECONDS);
      consumer.close();
      loop.join(10_000);

      assertThat(wasReported).isTrue();
      assertThat(givenUp).singleElement().asString().startsWith(job.toString()).contains("NoClassDefFoundError");
    }
  }
}
