package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChunkTasksTest {
  private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");

  /** An anchored plan: anchor 0 owns nothing; infills 1, 2, 3 own [0,7), [7,14), [14,21). */
  private static List<ChunkRow> plan(String anchor, String infill1, String infill2, String infill3) {
    return List.of(chunk(0, anchor, 0, 0), chunk(1, infill1, 0, 7), chunk(2, infill2, 7, 14), chunk(3, infill3, 14, 21));
  }

  private static ChunkRow chunk(int index, String status, int ownedStart, int ownedEnd) {
    return new ChunkRow(index, JOB, index, status, ownedEnd > ownedStart ? "INFILL" : "ANCHOR", List.of(), 1, null, null, ownedStart, 8,
        ownedStart, ownedEnd, List.of(), List.of(), 0, 10, "file:/frames/" + index, null, null, null, null, null, null, null, null, null);
  }

  @Test
  void aChunkExtendsTheFinishedStartOnlyWhenEveryEarlierFrameOwnerIsDone() {
    List<ChunkRow> firstDone = plan("DONE", "DONE", "RUNNING", "DONE");
    assertThat(ChunkTasks.extendsFinishedStart(firstDone, firstDone.get(1))).isTrue();
    assertThat(ChunkTasks.extendsFinishedStart(firstDone, firstDone.get(3))).as("chunk 2 still renders").isFalse();
    assertThat(ChunkTasks.extendsFinishedStart(firstDone, firstDone.get(0))).as("anchors own no frames").isFalse();

    List<ChunkRow> gapClosed = plan("DONE", "DONE", "DONE", "DONE");
    assertThat(ChunkTasks.extendsFinishedStart(gapClosed, gapClosed.get(2))).isTrue();
  }

  @Test
  void aPartialEncodeTaskLeavesOutTheFramesOfUnfinishedChunks() {
    var job = new dev.reelfarm.orchestrator.persistence.JobRow(JOB, "RUNNING", "p", "", 3, "tiktok", 1, 10, 7.5, 0, "anchored", "m", 8, 64, 112,
        21, null, null, null, null, null, null, null, null, null, null, null);
    var partial = ChunkTasks.encodeTask(job, plan("DONE", "DONE", "RUNNING", "DONE"));
    assertThat(partial.complete()).isFalse();
    assertThat(partial.chunks()).extracting(c -> c.chunkIndex()).containsExactly(1, 2, 3);
    assertThat(partial.chunks()).extracting(c -> c.framesUri()).containsExactly("file:/frames/1", null, "file:/frames/3");

    var complete = ChunkTasks.encodeTask(job, plan("DONE", "DONE", "DONE", "DONE"));
    assertThat(complete.complete()).isTrue();
    assertThat(complete.chunks()).extracting(c -> c.framesUri()).doesNotContainNull();
  }
}
