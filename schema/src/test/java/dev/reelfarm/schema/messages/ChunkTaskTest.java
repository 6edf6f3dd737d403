package dev.reelfarm.schema.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChunkTaskTest {

  @Test
  void consecutiveWindowHasStrideOne() {
    assertThat(task(16, 8, null).frameStride()).isEqualTo(1);
    assertThat(task(16, 8, List.of(16, 17, 18, 19, 20, 21, 22, 23)).frameStride()).isEqualTo(1);
  }

  @Test
  void anchorKeyframesHaveTheirSpacingAsStride() {
    assertThat(task(0, 8, List.of(0, 7, 14, 21, 28, 35, 42, 49)).frameStride()).isEqualTo(7);
    assertThat(task(49, 8, List.of(49, 98, 147, 196, 245, 294, 343, 392)).frameStride())
        .isEqualTo(49);
  }

  @Test
  void unevenlySpacedWindowIsRefused() {
    assertThatThrownBy(() -> task(0, 4, List.of(0, 7, 14, 20)).frameStride())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 7, 14, 20] are not evenly spaced");
  }

  @Test
  void aTaskFromAnOrchestratorWithoutChunkSeedsUsesTheJobsSeed() {
    ChunkTask task =
        MessageCodec.fromJson(
            "{\"schemaVersion\":1,\"jobId\":\""
                + UUID.randomUUID()
                + "\",\"chunkId\":1,"
                + "\"chunkIndex\":0,\"prompt\":\"p\",\"seed\":7,\"steps\":2,\"guidanceScale\":3,"
                + "\"windowStart\":0,\"windowFrames\":8,\"artifactPrefix\":\"jobs/x\","
                + "\"dispatchEpoch\":2}",
            ChunkTask.class);

    assertThat(task.chunkSeed()).isNull();
    assertThat(task.dispatchEpoch()).isEqualTo(2);
  }

  @Test
  void aReRenderedChunksSeedTravelsWithItsTask() {
    ChunkTask sent = task(0, 8, null);
    ChunkTask rerender =
        new ChunkTask(
            sent.schemaVersion(),
            sent.jobId(),
            sent.chunkId(),
            sent.chunkIndex(),
            sent.prompt(),
            sent.negativePrompt(),
            sent.seed(),
            sent.steps(),
            sent.guidanceScale(),
            sent.windowStart(),
            sent.windowFrames(),
            sent.frames(),
            sent.context(),
            sent.artifactPrefix(),
            3,
            424242L,
            null);

    assertThat(MessageCodec.fromJson(MessageCodec.toJson(rerender), ChunkTask.class))
        .isEqualTo(rerender);
  }

  private static ChunkTask task(int windowStart, int windowFrames, List<Integer> frames) {
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        UUID.randomUUID(),
        1,
        3,
        "a red circle",
        "",
        1,
        4,
        3.0,
        windowStart,
        windowFrames,
        frames,
        List.of(),
        "jobs/x");
  }
}
