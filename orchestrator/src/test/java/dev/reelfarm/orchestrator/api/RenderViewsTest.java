package dev.reelfarm.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.VideoVersions;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.api.VideoVersion;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RenderViewsTest {
  private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static JobRow job(JobStatus status, String videoUri) {
    var spec =
        new JobRow.Spec(
            "p", "", 2, "tiktok", 42, 10, 3, 0, RenderMode.INDEPENDENT, "m", 8, 64, 112, 16, null);
    var state =
        new JobRow.State(
            status,
            T0,
            T0.plusSeconds(1),
            null,
            status.isFinal() ? T0.plusSeconds(9) : null,
            null,
            null);
    var result =
        new JobRow.Result(
            videoUri,
            videoUri == null ? null : "poster",
            videoUri == null ? null : 100L,
            2.0,
            60,
            5L);
    return new JobRow(JOB, null, spec, state, result);
  }

  private static ChunkRow chunk(int index, ChunkStatus status, int step, String preview) {
    var plan =
        new PlannedChunk(
            index,
            ChunkRole.WINDOW,
            IntStream.range(index * 8, index * 8 + 8).boxed().toList(),
            index * 8,
            index * 8 + 8,
            List.of(),
            List.of());
    var run = new ChunkRow.Run(status, 1, null, "w1", step, 10, null, null, null, null);
    return new ChunkRow(
        index, JOB, plan, run, new ChunkRow.Result(null, null, preview, null, null, null));
  }

  @Test
  void renderingCountsNinetyPercentByStepsAndOnlySuccessIsComplete() {
    List<ChunkRow> chunks =
        List.of(chunk(0, ChunkStatus.DONE, 10, null), chunk(1, ChunkStatus.RUNNING, 5, null));

    assertThat(RenderViews.progress(job(JobStatus.RUNNING, null), chunks)).isEqualTo(0.9 * 0.75);
    assertThat(
            RenderViews.progress(
                job(JobStatus.ENCODING, null), List.of(chunk(0, ChunkStatus.DONE, 10, null))))
        .isCloseTo(0.95, within(1e-9));
    assertThat(RenderViews.progress(job(JobStatus.SUCCEEDED, "v"), chunks)).isEqualTo(1.0);
  }

  @Test
  void theViewCarriesTypedStatesLinksAndOutputFrames() {
    RenderView view =
        RenderViews.of(
            job(JobStatus.RUNNING, null),
            List.of(
                chunk(0, ChunkStatus.DONE, 10, null), chunk(1, ChunkStatus.RUNNING, 3, "p.png")),
            30,
            12.0,
            RenderViews.Lineage.NONE);

    assertThat(view.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(view.mode()).isEqualTo(RenderMode.INDEPENDENT);
    assertThat(view.seed()).isEqualTo("42");
    assertThat(view.video()).isNull();
    assertThat(view.timings().queuedMs()).isEqualTo(1000);
    assertThat(view.links().events()).isEqualTo("/api/v1/renders/" + JOB + "/events");
    RenderView.ChunkView second = view.chunks().get(1);
    assertThat(second.outputFrameStart())
        .isEqualTo(30); // native frame 8 at 8 fps = 1 s = output frame 30
    assertThat(second.outputFrameEnd()).isEqualTo(60);
    assertThat(second.previewUrl())
        .isEqualTo("/api/v1/renders/" + JOB + "/chunks/1/preview.png?step=3");
    assertThat(view.chunks().get(0).previewUrl()).isNull();
  }

  @Test
  void theViewShowsTheRequestedInterpolationElseThePresets() {
    JobRow.Spec asked = job(JobStatus.QUEUED, null).spec();
    assertThat(RenderViews.interpolation(asked))
        .isEqualTo(Preset.find("tiktok").orElseThrow().interpolation());
    var blend =
        new JobRow.Spec(
            "p",
            "",
            2,
            "tiktok",
            42,
            10,
            3,
            0,
            RenderMode.INDEPENDENT,
            "m",
            8,
            64,
            112,
            16,
            Interpolation.BLEND);
    assertThat(RenderViews.interpolation(blend)).isEqualTo(Interpolation.BLEND);
    var unknownPreset =
        new JobRow.Spec(
            "p", "", 2, "gone", 42, 10, 3, 0, RenderMode.INDEPENDENT, "m", 8, 64, 112, 16, null);
    assertThat(RenderViews.interpolation(unknownPreset)).isNull();
    RenderView view =
        RenderViews.of(job(JobStatus.QUEUED, null), List.of(), 30, null, RenderViews.Lineage.NONE);
    assertThat(view.interpolation()).isEqualTo(Interpolation.MOTION);
  }

  @Test
  void aSucceededJobLinksItsVideo() {
    RenderView view =
        RenderViews.of(
            job(JobStatus.SUCCEEDED, "file:///v.mp4"),
            List.of(),
            30,
            null,
            RenderViews.Lineage.NONE);

    assertThat(view.video())
        .isEqualTo(
            new RenderView.Video(
                "/api/v1/renders/" + JOB + "/video",
                "/api/v1/renders/" + JOB + "/poster.jpg",
                100,
                2.0,
                60));
    assertThat(view.timings().totalMs()).isEqualTo(9000);
  }

  @Test
  void aRetryLinksItsOriginalAndEveryVideoVersionIsListedWithItsChunkAndSeed() {
    UUID original = UUID.randomUUID();
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    var lineage =
        new RenderViews.Lineage(
            original,
            List.of(
                new VideoVersions.Row(1, null, null, "v1", "p1", 10L, 4.0, 120, at, at),
                new VideoVersions.Row(2, 3, 77L, null, null, null, null, null, at, null)));

    RenderView view = RenderViews.of(job(JobStatus.RUNNING, "v1"), List.of(), 30, null, lineage);

    assertThat(view.retryOf()).isEqualTo(original);
    assertThat(view.versions())
        .containsExactly(
            new VideoVersion(
                1,
                null,
                null,
                "/api/v1/renders/" + JOB + "/video?version=1",
                10L,
                4.0,
                120,
                at,
                at),
            new VideoVersion(2, 3, "77", null, null, null, null, at, null));
  }
}
