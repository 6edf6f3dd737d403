package dev.reelfarm.schema.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void everyTopicKeepsItsNameAndPartitionCountOnTheWire() {
    Map<String, Integer> partitions =
        Topics.all().stream().collect(Collectors.toMap(Topic::name, Topic::partitions));

    assertThat(partitions)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "reelfarm.chunk.tasks",
                64,
                "reelfarm.chunk.events",
                3,
                "reelfarm.encode.tasks",
                12,
                "reelfarm.job.events",
                3,
                "reelfarm.job.control",
                3,
                "reelfarm.worker.heartbeats",
                3,
                "reelfarm.sequence.tasks",
                3,
                "reelfarm.sequence.events",
                3,
                "reelfarm.dead-letters",
                3));
    assertThat(Topics.partitions("reelfarm.chunk.tasks")).isEqualTo(Topics.CHUNK_TASK_PARTITIONS);
    assertThat(Topics.named("reelfarm.encode.tasks")).isSameAs(Topics.ENCODE_TASKS);
  }

  @Test
  void aTopicsRecordCarriesItsMessageTypeAsJsonAndDecodesBackToIt() {
    JobControl cancel =
        new JobControl(JobControl.SCHEMA_VERSION, UUID.randomUUID(), JobControl.Action.CANCEL, 42);

    ProducerRecord<String, byte[]> record =
        Topics.JOB_CONTROL.record(cancel.jobId().toString(), cancel);

    assertThat(record.topic()).isEqualTo("reelfarm.job.control");
    assertThat(record.key()).isEqualTo(cancel.jobId().toString());
    assertThat(new String(record.value(), StandardCharsets.UTF_8))
        .isEqualTo(Topics.JOB_CONTROL.toJson(cancel));
    assertThat(Topics.JOB_CONTROL.decode(record.value())).isEqualTo(cancel);
    assertThat(Topics.JOB_CONTROL.fromJson(Topics.JOB_CONTROL.toJson(cancel))).isEqualTo(cancel);
  }

  @Test
  void anUnreadableValueIsAMalformedMessage() {
    assertThatThrownBy(() -> Topics.CHUNK_TASKS.decode("not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MessageCodec.MalformedMessageException.class)
        .hasMessageContaining("ChunkTask");
  }

  @Test
  void anUnknownTopicNameIsRefused() {
    assertThatThrownBy(() -> Topics.named("reelfarm.nope"))
        .hasMessageContaining("no topic reelfarm.nope");
  }
}
