package dev.reelfarm.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.diffusion.FlowMatchEulerSampler;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.diffusion.SamplerAlgorithm;
import dev.reelfarm.worker.model.Fixtures;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.OrtSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LTX-style and Wan-style flow-matching fixtures (models/training/export_flow_fixtures.py)
 * render through the worker's own renderer and loop with real ONNX Runtime: a T5-style tokenizer
 * and encoder from the bundle, a float16 denoiser (LTX) or per-channel latent normalisation (Wan),
 * the frame-rate input, external-data weights, a causal video VAE, and a second chunk conditioned
 * on the first one's last frame through the VAE encoder.
 */
class FlowBundleRenderTest {

  @TempDir Path artifactsDir;

  @ParameterizedTest
  @ValueSource(strings = {"tiny-flow-ltx", "tiny-flow-wan"})
  void flowBundleRendersChunksAndConditionsTheNextOnReencodedPixels(String name) throws Exception {
    try (ModelBundle bundle = ModelBundle.load(Fixtures.bundle(name), new OrtSessions(1, false))) {
      BundleManifest m = bundle.manifest();
      SamplerAlgorithm algorithm = SamplerAlgorithm.defaultFor(bundle.scheduler());
      Sampler sampler = algorithm.create(bundle.scheduler());
      assertThat(sampler).isInstanceOf(FlowMatchEulerSampler.class);
      ArtifactStore artifacts = new FileArtifactStore(artifactsDir);
      OnnxChunkRenderer renderer = new OnnxChunkRenderer(bundle, sampler, artifacts);
      int window = m.framesPerChunk();
      int frameBytes = m.nativeWidth() * m.nativeHeight() * 3;
      List<Integer> steps = new ArrayList<>();

      RenderedChunk first =
          renderer.render(
              task(window, 0, 0, List.of()), (step, total, denoised) -> steps.add(step));
      RenderedChunk again =
          renderer.render(task(window, 0, 0, List.of()), (step, total, denoised) -> {});

      assertThat(steps).containsExactly(1, 2, 3);
      assertThat(first.frames()).hasSize(window * frameBytes);
      assertThat(first.latents().shape())
          .containsExactly(
              1, m.latentChannels(), m.latentFrames(), m.latentHeight(), m.latentWidth());
      assertThat(first.frames()).isEqualTo(again.frames());
      assertThat(distinctValues(first.frames())).isGreaterThan(50);
      for (float v : first.latents().values()) assertThat(Float.isFinite(v)).isTrue();

      // Chunk 1 starts on chunk 0's last frame, as a sequential plan with whole latent frames of
      // context makes it (1 frame: the causal VAE's first latent frame is that frame alone).
      String run = ArtifactLayout.runPrefix("jobs/x/chunks/0", UUID.randomUUID());
      artifacts.write(ArtifactLayout.frames(run), first.frames());
      String latentsUri =
          artifacts.write(ArtifactLayout.latents(run), LatentFile.encode(first.latents()));
      int start = window - 1;
      var context = List.of(new ChunkTask.ContextFrame(start, latentsUri, window - 1));
      RenderedChunk conditioned = renderer.render(task(window, 1, start, context), (s, t, d) -> {});
      RenderedChunk unconditioned =
          renderer.render(task(window, 1, start, List.of()), (s, t, d) -> {});

      assertThat(BundleFacts.of(m, null).contextFramesFor(2)).isEqualTo(1);
      assertThat(conditioned.frames()).hasSize(window * frameBytes);
      assertThat(Arrays.equals(conditioned.frames(), unconditioned.frames()))
          .as("context changes the chunk")
          .isFalse();
    }
  }

  private static int distinctValues(byte[] bytes) {
    boolean[] seen = new boolean[256];
    int count = 0;
    for (byte b : bytes) {
      if (!seen[b & 0xff]) {
        seen[b & 0xff] = true;
        count++;
      }
    }
    return count;
  }

  private static ChunkTask task(
      int window, int index, int start, List<ChunkTask.ContextFrame> context) {
    List<Integer> frames = IntStream.range(start, start + window).boxed().toList();
    return new ChunkTask(
        ChunkTask.SCHEMA_VERSION,
        UUID.randomUUID(),
        index + 1,
        index,
        "a red circle moving right on a blue background",
        null,
        7,
        3,
        3.0,
        start,
        window,
        frames,
        context,
        "jobs/x/chunks/" + index);
  }
}
