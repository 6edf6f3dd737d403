package dev.reelfarm.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.model.Fixtures;
import dev.reelfarm.worker.runtime.FaultInjectingRenderer.Faults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultInjectingRendererTest {
  private static final BundleManifest MANIFEST =
      BundleManifest.read(Fixtures.bundle("tiny-random-bcfhw"));

  @TempDir Path artifactsDir;
  private final List<Integer> halts = new ArrayList<>();

  private ChunkRenderer renderer(Faults faults) {
    return new FaultInjectingRenderer(
        new SimulatedChunkRenderer(MANIFEST, new FileArtifactStore(artifactsDir), 1),
        faults,
        halts::add);
  }

  @Test
  void noFaultLeavesTheRendererAsItIs() {
    var real = new SimulatedChunkRenderer(MANIFEST, new FileArtifactStore(artifactsDir), 1);
    assertThat(FaultInjectingRenderer.wrap(real, Faults.NONE)).isSameAs(real);
    assertThat(Faults.NONE.any()).isFalse();
  }

  @Test
  void theFirstChunkToReachTheHangStepBlocksThereForTheConfiguredTimeThenGoesOn() throws Exception {
    ChunkRenderer renderer = renderer(new Faults(3, 300, false, null));
    List<Integer> steps = new ArrayList<>();
    long t0 = System.nanoTime();
    renderer.render(task("p", 5), (step, total, d) -> steps.add(step));
    long firstMs = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    renderer.render(task("p", 5), (step, total, d) -> {});
    long secondMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(steps).containsExactly(1, 2, 3, 4, 5);
    assertThat(firstMs).isGreaterThanOrEqualTo(300);
    assertThat(secondMs).as("only the first chunk hangs").isLessThan(300);
  }

  @Test
  void aHangForeverBlocksBeforeTheStepIsReportedUntilInterrupted() throws Exception {
    ChunkRenderer renderer = renderer(new Faults(2, -1, false, null));
    List<Integer> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread[] thread = new Thread[1];
    CompletableFuture<Void> render =
        CompletableFuture.runAsync(
            () -> {
              thread[0] = Thread.currentThread();
              try {
                renderer.render(task("p", 5), (step, total, d) -> steps.add(step));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    assertThatThrownBy(() -> render.get(500, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(steps).containsExactly(1);
    thread[0].interrupt();
    assertThatThrownBy(() -> render.get(5, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(InterruptedException.class);
  }

  @Test
  void failEveryChunkFailsEachChunkAtItsFirstStepNamingTheFault() {
    ChunkRenderer renderer = renderer(new Faults(0, -1, true, null));
    for (int i = 0; i < 2; i++) {
      List<Integer> steps = new ArrayList<>();
      assertThatThrownBy(() -> renderer.render(task("p", 5), (step, total, d) -> steps.add(step)))
          .isInstanceOf(FaultInjectingRenderer.InjectedFailure.class)
          .hasMessageContaining("reelfarm.worker.fault.fail-every-chunk");
      assertThat(steps).isEmpty();
    }
    assertThat(halts).isEmpty();
  }

  @Test
  void aChunkWhosePromptMatchesHaltsTheProcessAndOthersRenderNormally() throws Exception {
    ChunkRenderer renderer = renderer(new Faults(0, -1, false, "POISON"));
    renderer.render(task("a calm lake", 3), (step, total, d) -> {});
    assertThat(halts).isEmpty();

    renderer.render(task("a POISON chunk", 3), (step, total, d) -> {});
    assertThat(halts).containsExactly(FaultInjectingRenderer.CRASH_STATUS);
  }

  private static ChunkTask task(String prompt, int steps) {
    List<Integer> frames = IntStream.range(0, MANIFEST.framesPerChunk()).boxed().toList();
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        UUID.randomUUID(),
        1,
        0,
        prompt,
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
