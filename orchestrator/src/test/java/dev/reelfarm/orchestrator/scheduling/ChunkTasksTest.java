package dev.reelfarm.orchestrator.scheduling;

import static dev.reelfarm.schema.api.ChunkStatus.DONE;
import static dev.reelfarm.schema.api.ChunkStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.presets.Interpolation;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkTasksTest {
  private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");

  /** An anchored plan: anchor 0 owns nothing; infills 1, 2, 3 own [0,7), [7,14), [14,21). */
  private static List<ChunkRow> plan(
      ChunkStatus anchor, ChunkStatus infill1, ChunkStatus infill2, ChunkStatus infill3) {
    return List.of(
        chunk(0, anchor, 0, 0),
        chunk(1, infill1, 0, 7),
        chunk(2, infill2, 7, 14),
        chunk(3, infill3, 14, 21));
  }

  private static ChunkRow chunk(int index, ChunkStatus status, int ownedStart, int ownedEnd) {
    List<Integer> window = IntStream.range(ownedStart, ownedStart + 8).boxed().toList();
    var plan =
        new PlannedChunk(
            index,
            ownedEnd > ownedStart ? ChunkRole.INFILL : ChunkRole.ANCHOR,
            window,
            ownedStart,
            ownedEnd,
            List.of(),
            List.of());
    var run = new ChunkRow.Run(status, 1, null, null, 0, 10, null, null, null, null);
    var result = new ChunkRow.Result("file:/frames/" + index, null, null, null, null, null);
    return new ChunkRow(index, JOB, plan, run, result);
  }

  @Test
  void aChunkExtendsTheFinishedStartOnlyWhenEveryEarlierFrameOwnerIsDone() {
    List<ChunkRow> firstDone = plan(DONE, DONE, RUNNING, DONE);
    assertThat(ChunkTasks.extendsFinishedStart(firstDone, firstDone.get(1))).isTrue();
    assertThat(ChunkTasks.extendsFinishedStart(firstDone, firstDone.get(3)))
        .as("chunk 2 still renders")
        .isFalse();
    assertThat(ChunkTasks.extendsFinishedStart(firstDone, firstDone.get(0)))
        .as("anchors own no frames")
        .isFalse();

    List<ChunkRow> gapClosed = plan(DONE, DONE, DONE, DONE);
    assertThat(ChunkTasks.extendsFinishedStart(gapClosed, gapClosed.get(2))).isTrue();
  }

  @Test
  void aPartialEncodeTaskLeavesOutTheFramesOfUnfinishedChunks() {
    var spec =
        new JobRow.Spec(
            "p", "", 3, "tiktok", 1, 10, 7.5, 0, RenderMode.ANCHORED, "m", 8, 64, 112, 21, null);
    var job =
        new JobRow(
            JOB,
            null,
            spec,
            new JobRow.State(JobStatus.RUNNING, null, null, null, null, null, null),
            JobRow.Result.NONE);
    var partial = ChunkTasks.encodeTask(job, plan(DONE, DONE, RUNNING, DONE));
    assertThat(partial.complete()).isFalse();
    assertThat(partial.chunks()).extracting(c -> c.chunkIndex()).containsExactly(1, 2, 3);
    assertThat(partial.chunks())
        .extracting(c -> c.framesUri())
        .containsExactly("file:/frames/1", null, "file:/frames/3");

    var complete = ChunkTasks.encodeTask(job, plan(DONE, DONE, DONE, DONE));
    assertThat(complete.complete()).isTrue();
    assertThat(complete.chunks()).extracting(c -> c.framesUri()).doesNotContainNull();
    assertThat(complete.interpolation()).as("null: the preset's").isNull();
  }

  @Test
  void anEncodeTaskCarriesTheRequestedInterpolation() {
    var spec =
        new JobRow.Spec(
            "p",
            "",
            3,
            "tiktok",
            1,
            10,
            7.5,
            0,
            RenderMode.ANCHORED,
            "m",
            8,
            64,
            112,
            21,
            Interpolation.REPEAT);
    var job =
        new JobRow(
            JOB,
            null,
            spec,
            new JobRow.State(JobStatus.RUNNING, null, null, null, null, null, null),
            JobRow.Result.NONE);

    assertThat(ChunkTasks.encodeTask(job, plan(DONE, DONE, DONE, DONE)).interpolation())
        .isEqualTo("repeat");
  }
}
