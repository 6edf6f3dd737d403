package dev.reelfarm.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.model.Fixtures;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.JobCancelledException;
import dev.reelfarm.worker.runtime.SimulatedChunkRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMetricsTest {
  private static final BundleManifest MANIFEST =
      BundleManifest.read(Fixtures.bundle("tiny-random-bcfhw"));

  @TempDir Path artifactsDir;
  private final WorkerMetrics metrics = new WorkerMetrics("SIMULATED", "tiny@1");

  private ChunkRenderer metered() {
    return metrics.meter(
        new SimulatedChunkRenderer(MANIFEST, new FileArtifactStore(artifactsDir), 2));
  }

  @Test
  void aFinishedRenderCountsOnceWithEveryStepButTheFirst() throws Exception {
    metered().render(task(5), (step, steps, denoised) -> {});

    assertThat(metrics.rendered.count()).isEqualTo(1);
    assertThat(metrics.failed.count()).isZero();
    assertThat(metrics.chunkRender.count()).isEqualTo(1);
    assertThat(metrics.chunkRender.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .as("5 simulated steps of 2 ms")
        .isGreaterThanOrEqualTo(10);
    assertThat(metrics.step.count()).isEqualTo(4);
  }

  @Test
  void aRenderThatThrowsIsAFailureAndACancellationIsNeither() {
    ChunkRenderer renderer = metered();
    assertThatThrownBy(
            () ->
                renderer.render(
                    task(3),
                    (step, steps, d) -> {
                      throw new IllegalStateException("disk full");
                    }))
        .hasMessage("disk full");
    UUID job = UUID.randomUUID();
    assertThatThrownBy(
            () ->
                renderer.render(
                    task(3),
                    (step, steps, d) -> {
                      throw new JobCancelledException(job, step);
                    }))
        .isInstanceOf(JobCancelledException.class);

    assertThat(metrics.failed.count()).isEqualTo(1);
    assertThat(metrics.rendered.count()).isZero();
    assertThat(metrics.chunkRender.count()).isZero();
  }

  @Test
  void theExpositionNamesTheDeviceTheModelAndTheHistogramsInBaseUnits() throws Exception {
    metered().render(task(2), (step, steps, denoised) -> {});

    String text = metrics.scrape();
    assertThat(text)
        .contains("reelfarm_worker_device_info{device=\"SIMULATED\"} 1")
        .contains("reelfarm_worker_model_loaded{model=\"tiny@1\"} 1")
        .contains("reelfarm_worker_chunks_rendered_total 1")
        .contains("reelfarm_worker_chunks_failed_total 0")
        .contains("reelfarm_worker_chunk_render_seconds_bucket{le=\"+Inf\"} 1")
        .contains("reelfarm_worker_chunk_render_seconds_count 1")
        .contains("reelfarm_worker_step_seconds_count 1")
        .contains("# TYPE reelfarm_worker_chunk_render_seconds histogram");
  }

  private static ChunkTask task(int steps) {
    List<Integer> frames = IntStream.range(0, MANIFEST.framesPerChunk()).boxed().toList();
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        UUID.randomUUID(),
        1,
        0,
        "a red circle",
        null,
        7,
        steps,
        5.0,
        0,
        frames.size(),
        frames,
        List.of(),
        "jobs/x/chunks/0");
  }
}
