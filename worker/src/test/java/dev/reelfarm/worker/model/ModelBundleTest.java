package dev.reelfarm.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.bundle.InvalidBundleException;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.worker.diffusion.DdimSampler;
import dev.reelfarm.worker.runtime.OnnxChunkRenderer;
import dev.reelfarm.worker.runtime.RenderedChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelBundleTest {
  private final OrtSessions sessions = new OrtSessions(2, false);

  @ParameterizedTest
  @ValueSource(strings = {"tiny-random-bcfhw", "tiny-random-bfchw"})
  void differentlyShapedBundlesRenderThroughTheSameWorkerCode(String name, @TempDir Path artifacts)
      throws Exception {
    try (ModelBundle bundle = ModelBundle.load(Fixtures.bundle(name), sessions)) {
      var m = bundle.manifest();
      OnnxChunkRenderer renderer =
          new OnnxChunkRenderer(
              bundle, new DdimSampler(bundle.scheduler()), new FileArtifactStore(artifacts));
      ChunkTask task =
          new ChunkTask(
              ChunkTask.SCHEMA_VERSION,
              UUID.randomUUID(),
              1,
              0,
              "a red circle moving right",
              "",
              7,
              3,
              2.0,
              0,
              m.framesPerChunk(),
              null,
              List.of(),
              "jobs/test");

      RenderedChunk first = renderer.render(task, (step, steps, x0) -> {});
      RenderedChunk again = renderer.render(task, (step, steps, x0) -> {});

      assertThat(first.frames())
          .hasSize(m.framesPerChunk() * m.nativeHeight() * m.nativeWidth() * 3);
      assertThat(first.latents().values())
          .hasSize(m.latentChannels() * m.latentFrames() * m.latentHeight() * m.latentWidth());
      assertThat(again.frames()).as("same seed, same frames").isEqualTo(first.frames());
    }
  }

  @Test
  void bundleWithAWrongInputNameIsRefusedNamingTheField(@TempDir Path dir) throws Exception {
    assertManifestEditRefused(
        dir,
        "\"sampleInput\": \"sample\"",
        "\"sampleInput\": \"latents\"",
        "denoiser.sampleInput: 'latents' is not an input of denoiser/model.onnx");
  }

  @Test
  void bundleThatLeavesADenoiserInputUnnamedIsRefused(@TempDir Path dir) throws Exception {
    assertManifestEditRefused(
        dir,
        "\"frameStrideInput\": \"frame_stride\"",
        "\"frameStrideInput\": null",
        "input 'frame_stride' of denoiser/model.onnx is not named in bundle.json");
  }

  @Test
  void bundleWithoutItsDenoiserFileIsRefused(@TempDir Path dir) throws Exception {
    Path bundle = copy(Fixtures.bundle("tiny-random-bcfhw"), dir);
    Files.delete(bundle.resolve("denoiser/model.onnx"));

    assertThatThrownBy(() -> ModelBundle.load(bundle, sessions))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("denoiser.path: file denoiser/model.onnx not found");
  }

  /** The BCFHW fixture with one edit to its bundle.json is refused with {@code message}. */
  private void assertManifestEditRefused(Path dir, String from, String to, String message)
      throws Exception {
    Path bundle = copy(Fixtures.bundle("tiny-random-bcfhw"), dir);
    Path manifest = bundle.resolve("bundle.json");
    String original = Files.readString(manifest);
    assertThat(original).contains(from);
    Files.writeString(manifest, original.replace(from, to));

    assertThatThrownBy(() -> ModelBundle.load(bundle, sessions))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining(message);
  }

  private static Path copy(Path source, Path target) throws Exception {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(dest);
        else Files.copy(p, dest);
      }
    }
    return target;
  }
}
