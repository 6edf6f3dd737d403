package dev.reelfarm.worker.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.bundle.InvalidBundleException;
import dev.reelfarm.worker.diffusion.SchedulerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded model bundle: manifest, scheduler config and the ONNX sessions, checked against each
 * other at start-up so a bad bundle is refused with every reason instead of failing mid-render.
 * Owns its sessions.
 */
public final class ModelBundle implements AutoCloseable {
  private final Path dir;
  private final BundleManifest manifest;
  private final SchedulerConfig scheduler;
  private final TextEncoder textEncoder;
  private final Denoiser denoiser;
  private final VaeDecoder vaeDecoder;

  private ModelBundle(
      Path dir,
      BundleManifest manifest,
      SchedulerConfig scheduler,
      TextEncoder text,
      Denoiser denoiser,
      VaeDecoder vae) {
    this.dir = dir;
    this.manifest = manifest;
    this.scheduler = scheduler;
    this.textEncoder = text;
    this.denoiser = denoiser;
    this.vaeDecoder = vae;
  }

  /** Loads and validates a bundle; {@link InvalidBundleException} lists what is wrong. */
  public static ModelBundle load(Path dir, OrtSessions sessions) throws OrtException {
    BundleManifest m = BundleManifest.read(dir);
    if (!TextEncoder.MAVEN_SOURCE.equals(m.textEncoder().source())) {
      throw new InvalidBundleException(
          dir,
          List.of(
              "textEncoder.source: only "
                  + TextEncoder.MAVEN_SOURCE
                  + " is supported, got "
                  + m.textEncoder().source()));
    }
    if (m.textEncoder().hiddenSize() != TextEncoder.HIDDEN_SIZE) {
      throw new InvalidBundleException(
          dir,
          List.of(
              "textEncoder.hiddenSize: "
                  + TextEncoder.MAVEN_SOURCE
                  + " gives "
                  + TextEncoder.HIDDEN_SIZE));
    }
    SchedulerConfig scheduler;
    try {
      scheduler = SchedulerConfigReader.read(dir.resolve(m.schedulerConfig()));
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(dir, List.of("schedulerConfig: " + e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    if (!scheduler.predictionType().configValue().equals(predictionName(m))) {
      problems.add(
          "predictionType: bundle.json says "
              + predictionName(m)
              + " but the scheduler config says "
              + scheduler.predictionType().configValue());
    }
    OrtSession denoiserSession = sessions.open(dir.resolve(m.denoiser().path()).toString());
    OrtSession vaeSession = null;
    try {
      vaeSession = sessions.open(dir.resolve(m.vaeDecoder().path()).toString());
      problems.addAll(denoiserProblems(m, denoiserSession));
      problems.addAll(vaeProblems(m, vaeSession));
      if (!problems.isEmpty()) throw new InvalidBundleException(dir, problems);
      TextEncoder text = new TextEncoder(sessions, m.textEncoder().maxTokens());
      return new ModelBundle(
          dir, m, scheduler, text, new Denoiser(m, denoiserSession), new VaeDecoder(m, vaeSession));
    } catch (OrtException | RuntimeException e) {
      denoiserSession.close();
      if (vaeSession != null) vaeSession.close();
      throw e;
    }
  }

  private static String predictionName(BundleManifest m) {
    return switch (m.predictionType()) {
      case EPSILON -> "epsilon";
      case V_PREDICTION -> "v_prediction";
      case SAMPLE -> "sample";
      case FLOW_PREDICTION -> "flow_prediction";
    };
  }

  private static List<String> denoiserProblems(BundleManifest m, OrtSession s) throws OrtException {
    List<String> p = new ArrayList<>();
    var d = m.denoiser();
    Map<String, NodeInfo> inputs = s.getInputInfo();
    String file = d.path();
    requireInput(p, file, inputs, "denoiser.sampleInput", d.sampleInput(), 5);
    requireInput(p, file, inputs, "denoiser.timestepInput", d.timestepInput(), 1);
    requireInput(p, file, inputs, "denoiser.textInput", d.textInput(), 3);
    if (d.textMaskInput() != null)
      requireInput(p, file, inputs, "denoiser.textMaskInput", d.textMaskInput(), 2);
    if (m.conditioning() == BundleManifest.Conditioning.NATIVE) {
      requireInput(p, file, inputs, "denoiser.contextInput", d.contextInput(), 5);
      requireInput(p, file, inputs, "denoiser.contextMaskInput", d.contextMaskInput(), 2);
    }
    if (d.frameStrideInput() != null)
      requireInput(p, file, inputs, "denoiser.frameStrideInput", d.frameStrideInput(), 1);
    // An input the manifest does not name would fail every run; say so at start-up instead.
    var fed =
        new java.util.HashSet<>(
            java.util.Arrays.asList(
                d.sampleInput(),
                d.timestepInput(),
                d.textInput(),
                d.textMaskInput(),
                d.frameStrideInput()));
    if (m.conditioning() == BundleManifest.Conditioning.NATIVE)
      fed.addAll(java.util.Arrays.asList(d.contextInput(), d.contextMaskInput()));
    for (String input : inputs.keySet()) {
      if (!fed.contains(input)) {
        p.add(
            "denoiser: input '"
                + input
                + "' of "
                + file
                + " is not named in bundle.json's denoiser section, so the worker cannot feed it");
      }
    }
    if (!s.getOutputNames().contains(d.output())) {
      p.add(
          "denoiser.output: '"
              + d.output()
              + "' is not an output of "
              + file
              + " (outputs: "
              + s.getOutputNames()
              + ")");
    }
    NodeInfo sample = inputs.get(d.sampleInput());
    if (sample != null && sample.getInfo() instanceof TensorInfo t && t.getShape().length == 5) {
      int channelAxis = m.latentLayout() == BundleManifest.LatentLayout.BCFHW ? 1 : 2;
      long channels = t.getShape()[channelAxis];
      if (channels > 0 && channels != m.latentChannels()) {
        p.add(
            "latentChannels: bundle.json says "
                + m.latentChannels()
                + " but "
                + file
                + " input '"
                + d.sampleInput()
                + "' has "
                + channels
                + " channels on axis "
                + channelAxis
                + " ("
                + m.latentLayout()
                + ")");
      }
    }
    return p;
  }

  private static List<String> vaeProblems(BundleManifest m, OrtSession s) throws OrtException {
    List<String> p = new ArrayList<>();
    var v = m.vaeDecoder();
    requireInput(
        p, v.path(), s.getInputInfo(), "vaeDecoder.input", v.input(), v.perFrame() ? 4 : 5);
    if (!s.getOutputNames().contains(v.output())) {
      p.add(
          "vaeDecoder.output: '"
              + v.output()
              + "' is not an output of "
              + v.path()
              + " (outputs: "
              + s.getOutputNames()
              + ")");
    }
    return p;
  }

  private static void requireInput(
      List<String> p,
      String file,
      Map<String, NodeInfo> inputs,
      String field,
      String name,
      int rank) {
    NodeInfo info = inputs.get(name);
    if (info == null) {
      p.add(
          field
              + ": '"
              + name
              + "' is not an input of "
              + file
              + " (inputs: "
              + inputs.keySet()
              + ")");
    } else if (info.getInfo() instanceof TensorInfo t && t.getShape().length != rank) {
      p.add(
          field
              + ": input '"
              + name
              + "' of "
              + file
              + " has rank "
              + t.getShape().length
              + ", expected "
              + rank);
    }
  }

  public Path dir() {
    return dir;
  }

  public BundleManifest manifest() {
    return manifest;
  }

  public SchedulerConfig scheduler() {
    return scheduler;
  }

  public TextEncoder textEncoder() {
    return textEncoder;
  }

  public Denoiser denoiser() {
    return denoiser;
  }

  public VaeDecoder vaeDecoder() {
    return vaeDecoder;
  }

  @Override
  public void close() throws OrtException {
    try (textEncoder;
        denoiser;
        vaeDecoder) {
      // closes all three, in reverse order, even if one throws
    }
  }
}
