package dev.reelfarm.schema.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.messages.MessageCodec.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a record holds, reading it either yields a valid message or throws {@link
 * MalformedMessageException} with a reason: never a NullPointerException or another exception a
 * consumer would not expect.
 */
class MessageCodecTest {
  private static final UUID JOB = UUID.fromString("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  private static final UUID RUN = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3");

  /** One valid message of every type a consumer reads, and variants missing one thing each. */
  private static final ChunkTask TASK =
      new ChunkTask(
          1, JOB, 7, 0, "a fox", null, 42, 4, 5.0, 0, 3, List.of(0, 1, 2), List.of(), "jobs/x");

  private static final EncodeTask ENCODE =
      new EncodeTask(
          2,
          JOB,
          "tiktok",
          64,
          64,
          8,
          3,
          List.of(new EncodeTask.ChunkFrames(0, "file:///store/f.rgb", 0, 3, 0, 3)),
          "jobs/x",
          true);

  static Stream<Class<?>> messageTypes() {
    return Stream.of(
        ChunkTask.class,
        EncodeTask.class,
        JobControl.class,
        WorkerHeartbeat.class,
        ChunkEvent.class,
        JobEvent.class);
  }

  static Stream<Arguments> unreadableValuesOfEveryType() {
    List<String> bad =
        List.of("", "   ", "not json", "null", "{}", "[]", "42", "\"text\"", "{\"schemaVersion\":");
    return messageTypes().flatMap(type -> bad.stream().map(value -> Arguments.of(type, value)));
  }

  @ParameterizedTest(name = "{0} from [{1}]")
  @MethodSource("unreadableValuesOfEveryType")
  void anUnreadableValueIsMalformedWhateverTheType(Class<?> type, String value) {
    assertThatThrownBy(() -> MessageCodec.fromBytes(value.getBytes(StandardCharsets.UTF_8), type))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith(type.getSimpleName() + ":");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messageTypes")
  void aNullValueIsMalformed(Class<?> type) {
    assertThatThrownBy(() -> MessageCodec.fromBytes(null, type))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("no value");
  }

  static Stream<Arguments> invalidMessages() {
    String chunkTask = MessageCodec.toJson(TASK);
    String encodeTask = MessageCodec.toJson(ENCODE);
    String control = "{\"schemaVersion\":1,\"jobId\":\"" + JOB + "\",\"action\":\"CANCEL\"}";
    String heartbeat = "{\"schemaVersion\":1,\"workerId\":\"worker-1\"}";
    String started =
        "{\"type\":\"STARTED\",\"schemaVersion\":1,\"jobId\":\""
            + JOB
            + "\",\"runId\":\""
            + RUN
            + "\",\"workerId\":\"w\"}";
    String completed =
        started.replace("STARTED", "COMPLETED").replace("}", ",\"framesUri\":\"file:///f\"}");
    String encoded = "{\"type\":\"ENCODED\",\"schemaVersion\":1,\"jobId\":\"" + JOB + "\"}";
    return Stream.of(
        // ChunkTask
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"schemaVersion\":1", "\"schemaVersion\":2"),
            "schemaVersion 2"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"schemaVersion\":1", "\"schemaVersion\":0"),
            "schemaVersion 0"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"jobId\":\"" + JOB + "\"", "\"jobId\":null"),
            "jobId is missing"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"jobId\":\"" + JOB + "\"", "\"jobId\":\"nope\""),
            "UUID"),
        Arguments.of(
            ChunkTask.class, chunkTask.replace("\"prompt\":\"a fox\",", ""), "prompt is missing"),
        Arguments.of(ChunkTask.class, chunkTask.replace("\"steps\":4", "\"steps\":0"), "steps 0"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("[0,1,2]", "[]").replace("\"windowFrames\":3", "\"windowFrames\":0"),
            "no frames"),
        Arguments.of(ChunkTask.class, chunkTask.replace("[0,1,2]", "[0,1,5]"), "not evenly spaced"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"jobs/x\"", "\"../../etc\""),
            "leaves the artifact store"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"jobs/x\"", "\"/etc\""),
            "leaves the artifact store"),
        Arguments.of(
            ChunkTask.class, chunkTask.replace("\"jobs/x\"", "\"a\\u0000b\""), "not a path"),
        Arguments.of(
            ChunkTask.class,
            chunkTask.replace("\"context\":[]", "\"context\":[{\"globalFrame\":0}]"),
            "context.latentsUri is missing"),
        Arguments.of(
            ChunkTask.class, chunkTask.replace("\"steps\":4", "\"steps\":\"many\""), "steps"),
        // EncodeTask
        Arguments.of(
            EncodeTask.class,
            encodeTask.replace("\"schemaVersion\":2", "\"schemaVersion\":3"),
            "schemaVersion 3"),
        Arguments.of(
            EncodeTask.class,
            encodeTask.replace("\"jobId\":\"" + JOB + "\",", ""),
            "jobId is missing"),
        Arguments.of(
            EncodeTask.class,
            encodeTask.replace("\"preset\":\"tiktok\",", ""),
            "preset is missing"),
        Arguments.of(
            EncodeTask.class,
            encodeTask.replaceAll("\"chunks\":\\[.*\\],", "\"chunks\":[],"),
            "chunks is empty"),
        Arguments.of(
            EncodeTask.class,
            encodeTask.replace("\"jobs/x\"", "\"../x\""),
            "leaves the artifact store"),
        Arguments.of(
            EncodeTask.class,
            encodeTask.replace("\"file:///store/f.rgb\"", "null"),
            "framesUri is missing"),
        // JobControl
        Arguments.of(
            JobControl.class,
            control.replace("\"schemaVersion\":1", "\"schemaVersion\":9"),
            "schemaVersion 9"),
        Arguments.of(
            JobControl.class,
            control.replace("\"jobId\":\"" + JOB + "\",", ""),
            "jobId is missing"),
        Arguments.of(
            JobControl.class, control.replace(",\"action\":\"CANCEL\"", ""), "action is missing"),
        Arguments.of(JobControl.class, control.replace("CANCEL", "EXPLODE"), "EXPLODE"),
        // WorkerHeartbeat
        Arguments.of(
            WorkerHeartbeat.class,
            heartbeat.replace("\"schemaVersion\":1", "\"schemaVersion\":-1"),
            "schemaVersion -1"),
        Arguments.of(
            WorkerHeartbeat.class,
            heartbeat.replace(",\"workerId\":\"worker-1\"", ""),
            "workerId is missing"),
        Arguments.of(
            WorkerHeartbeat.class,
            heartbeat.replace("}", ",\"taskPartitions\":\"x\"}"),
            "taskPartitions"),
        // ChunkEvent
        Arguments.of(ChunkEvent.class, started.replace("\"type\":\"STARTED\",", ""), "type"),
        Arguments.of(ChunkEvent.class, started.replace("STARTED", "EXPLODED"), "EXPLODED"),
        Arguments.of(
            ChunkEvent.class,
            started.replace("\"schemaVersion\":1", "\"schemaVersion\":2"),
            "schemaVersion 2"),
        Arguments.of(
            ChunkEvent.class,
            started.replace("\"jobId\":\"" + JOB + "\",", ""),
            "jobId is missing"),
        Arguments.of(
            ChunkEvent.class,
            started.replace("\"runId\":\"" + RUN + "\",", ""),
            "runId is missing"),
        Arguments.of(
            ChunkEvent.class, started.replace(",\"workerId\":\"w\"", ""), "workerId is missing"),
        Arguments.of(ChunkEvent.class, completed, "latentsUri is missing"),
        // JobEvent
        Arguments.of(JobEvent.class, encoded.replace("\"type\":\"ENCODED\",", ""), "type"),
        Arguments.of(
            JobEvent.class,
            encoded.replace("\"schemaVersion\":1", "\"schemaVersion\":0"),
            "schemaVersion 0"),
        Arguments.of(
            JobEvent.class, encoded.replace(",\"jobId\":\"" + JOB + "\"", ""), "jobId is missing"),
        Arguments.of(JobEvent.class, encoded, "videoUri is missing"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("invalidMessages")
  void aMessageMissingWhatItsConsumerNeedsIsMalformedWithTheReason(
      Class<?> type, String json, String reason) {
    assertThatThrownBy(() -> MessageCodec.fromJson(json, type))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageStartingWith(type.getSimpleName() + ":")
        .hasMessageContaining(reason);
  }

  @Test
  void validMessagesOfEveryTypeStillDecode() {
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(TASK), ChunkTask.class)).isEqualTo(TASK);
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(ENCODE), EncodeTask.class))
        .isEqualTo(ENCODE);
    var partial =
        new EncodeTask(
            1,
            JOB,
            "tiktok",
            64,
            64,
            8,
            3,
            List.of(new EncodeTask.ChunkFrames(0, null, 0, 3, 0, 3)),
            "jobs/x",
            false);
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(partial), EncodeTask.class))
        .as("a partial task's unfinished chunks have no frames yet")
        .isEqualTo(partial);
    var heartbeat = new WorkerHeartbeat(1, "w", null, null, null, 1, null, null, null, 5);
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(heartbeat), WorkerHeartbeat.class))
        .isEqualTo(heartbeat);
    ChunkEvent failed = new ChunkEvent.Failed(1, JOB, 7, RUN, "w", 4, "out of memory", 9);
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(failed), ChunkEvent.class))
        .isEqualTo(failed);
    JobEvent encoding = new JobEvent.Encoding(1, JOB, 9);
    assertThat(MessageCodec.fromJson(MessageCodec.toJson(encoding), JobEvent.class))
        .isEqualTo(encoding);
  }

  @Test
  void theDeadLetterTopicCarriesValuesAsTheyAre() {
    byte[] raw = {(byte) 0xff, 0, 1};
    assertThat(Topics.DEAD_LETTERS.decode(raw)).isSameAs(raw);
    assertThat(Topics.DEAD_LETTERS.record("k", raw).value()).isSameAs(raw);
  }
}
