package dev.reelfarm.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.worker.diffusion.ContextFrames;
import dev.reelfarm.worker.diffusion.DdimSampler;
import dev.reelfarm.worker.diffusion.LatentLayout;
import dev.reelfarm.worker.diffusion.LatentShape;
import dev.reelfarm.worker.model.Fixtures;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.Npy;
import dev.reelfarm.worker.model.OrtSessions;
import dev.reelfarm.worker.model.TextEncoder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java loop (DDIM + CFG + native context) with the ONNX Runtime denoiser reproduces the PyTorch
 * reference sampler of models/training/ddim.py on a bundle's golden fixture: the tiny random-weight
 * test bundle, and the default model (models/tiny-shapes) in {@link DefaultModelParityTest}.
 */
class GoldenParityTest {
  private static final double TOLERANCE = 1e-3;
  private static ModelBundle bundle;
  private static Path golden;
  private static LatentShape shape;

  @BeforeAll
  static void load() throws Exception {
    load(Fixtures.bundle("tiny-random-bcfhw"));
  }

  static void load(Path dir) throws Exception {
    bundle = ModelBundle.load(dir, new OrtSessions(2, false));
    golden = dir.resolve("golden");
    var m = bundle.manifest();
    shape =
        new LatentShape(
            LatentLayout.BCFHW,
            m.latentChannels(),
            m.latentFrames(),
            m.latentHeight(),
            m.latentWidth());
  }

  @AfterAll
  static void close() throws Exception {
    bundle.close();
  }

  @Test
  void denoiserMatchesPyTorchOnTheFirstStep() throws Exception {
    float[] out =
        bundle
            .denoiser()
            .predict(
                1,
                npy("noise"),
                999,
                npy("cond_hidden"),
                npy("cond_mask"),
                24,
                npy("context"),
                npy("context_mask"),
                frameStride());

    assertThat(maxAbsDiff(out, npy("first_step_out"))).isLessThan(1e-4);
  }

  @Test
  void javaSamplerReproducesReferenceFinalLatents() throws Exception {
    float[] context = npy("context");
    float[] mask = npy("context_mask");
    Map<Integer, float[]> known = new HashMap<>();
    for (int f = 0; f < mask.length; f++) if (mask[f] > 0.5f) known.put(f, shape.frame(context, f));
    var text =
        new TextEncoder.Embedding(
            2,
            24,
            concat(npy("uncond_hidden"), npy("cond_hidden")),
            concat(npy("uncond_mask"), npy("cond_mask")));
    DenoiseLoop loop =
        new DenoiseLoop(
            bundle.denoiser(),
            new DdimSampler(bundle.scheduler()),
            bundle.manifest().conditioning());

    var reference =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(golden.resolve("golden.json").toFile());
    float[] latents =
        loop.run(
            npy("noise"),
            ContextFrames.of(shape, known),
            text,
            frameStride(),
            reference.get("steps").asInt(),
            reference.get("guidanceScale").asDouble(),
            (step, steps, x0) -> {});

    float[] expected = npy("final_latents");
    assertThat(known).isNotEmpty();
    for (int f = 0; f < shape.frames(); f++) {
      if (known.containsKey(f)) {
        // The Java loop also restores known frames exactly, so shared frames of chunks are
        // identical.
        assertThat(shape.frame(latents, f)).as("known frame %d", f).containsExactly(known.get(f));
      } else {
        assertThat(maxAbsDiff(shape.frame(latents, f), shape.frame(expected, f)))
            .as("frame %d", f)
            .isLessThan(TOLERANCE);
      }
    }
  }

  /** A bundle with a frame-stride input has its fixture rendered at a keyframe stride. */
  private static int frameStride() throws Exception {
    Path file = golden.resolve("frame_stride.npy");
    if (bundle.manifest().denoiser().frameStrideInput() == null) {
      assertThat(file).doesNotExist();
      return 1;
    }
    return Math.round(Npy.read(file)[0]);
  }

  private static float[] npy(String name) throws Exception {
    return Npy.read(golden.resolve(name + ".npy"));
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }
}
