package dev.reelfarm.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.worker.model.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedChunkRendererTest {
  private static final BundleManifest MANIFEST =
      BundleManifest.read(Fixtures.bundle("tiny-random-bcfhw"));

  @TempDir Path artifactsDir;

  @Test
  void sleepsEachStepReportsEveryStepAndProducesTheBundlesShapes() throws Exception {
    var renderer = new SimulatedChunkRenderer(MANIFEST, new FileArtifactStore(artifactsDir), 20);
    List<Integer> steps = new ArrayList<>();
    long t0 = System.nanoTime();
    RenderedChunk chunk =
        renderer.render(
            task(5, List.of()),
            (step, total, denoised) -> {
              assertThat(total).isEqualTo(5);
              assertThat(denoised).hasSize(renderer.latentShape().size());
              steps.add(step);
            });
    long ms = (System.nanoTime() - t0) / 1_000_000;

    assertThat(steps).containsExactly(1, 2, 3, 4, 5);
    assertThat(ms).isGreaterThanOrEqualTo(100);
    assertThat(chunk.denoiseMs()).isGreaterThanOrEqualTo(100);
    assertThat(chunk.latents().values()).hasSize(renderer.latentShape().size());
    assertThat(chunk.frames())
        .hasSize(MANIFEST.framesPerChunk() * MANIFEST.nativeHeight() * MANIFEST.nativeWidth() * 3);
    // The latents file round-trips, so a dependent chunk can read its context frames from it.
    assertThat(LatentFile.decode(LatentFile.encode(chunk.latents())).values())
        .hasSize(renderer.latentShape().size());
  }

  @Test
  void aListenerThatThrowsStopsTheChunkAtThatStep() {
    var renderer = new SimulatedChunkRenderer(MANIFEST, new FileArtifactStore(artifactsDir), 5);
    UUID job = UUID.randomUUID();
    List<Integer> steps = new ArrayList<>();
    assertThatThrownBy(
            () ->
                renderer.render(
                    task(50, List.of()),
                    (step, total, denoised) -> {
                      steps.add(step);
                      if (step == 3) throw new JobCancelledException(job, step);
                    }))
        .isInstanceOf(JobCancelledException.class);
    assertThat(steps).containsExactly(1, 2, 3);
  }

  @Test
  void readsContextLatentsAndRefusesMissingOnes() throws Exception {
    ArtifactStore store = new FileArtifactStore(artifactsDir);
    var renderer = new SimulatedChunkRenderer(MANIFEST, store, 1);
    RenderedChunk previous = renderer.render(task(1, List.of()), (s, t, d) -> {});
    String uri = store.write("prev/latents.f32", LatentFile.encode(previous.latents()));

    renderer.render(
        task(1, List.of(new ChunkTask.ContextFrame(0, uri, MANIFEST.framesPerChunk() - 1))),
        (s, t, d) -> {});
    String missing = store.uri("nowhere/latents.f32").toString();
    assertThatThrownBy(
            () ->
                renderer.render(
                    task(1, List.of(new ChunkTask.ContextFrame(0, missing, 0))), (s, t, d) -> {}))
        .isInstanceOf(PoisonTaskException.class);
  }

  @Test
  void refusesAnUnevenlySpacedWindowAsPoisonRatherThanRetryingIt() {
    var renderer = new SimulatedChunkRenderer(MANIFEST, new FileArtifactStore(artifactsDir), 1);
    List<Integer> uneven =
        IntStream.range(0, MANIFEST.framesPerChunk())
            .map(i -> i * i)
            .boxed()
            .toList(); // 0, 1, 4, 9 ...
    assertThatThrownBy(() -> renderer.render(task(1, uneven, List.of()), (s, t, d) -> {}))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("not evenly spaced");
  }

  private static ChunkTask task(int steps, List<ChunkTask.ContextFrame> context) {
    return task(steps, IntStream.range(0, MANIFEST.framesPerChunk()).boxed().toList(), context);
  }

  private static ChunkTask task(
      int steps, List<Integer> frames, List<ChunkTask.ContextFrame> context) {
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        UUID.randomUUID(),
        1,
        0,
        "p",
        null,
        7,
        steps,
        5.0,
        frames.get(0),
        frames.size(),
        frames,
        context,
        "jobs/x/chunks/0");
  }
}
