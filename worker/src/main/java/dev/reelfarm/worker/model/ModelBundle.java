package dev.reelfarm.worker.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.bundle.InvalidBundleException;
import dev.reelfarm.worker.diffusion.LatentLayout;
import dev.reelfarm.worker.diffusion.LatentShape;
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
  private final VaeEncoder vaeEncoder;

  private ModelBundle(
      Path dir,
      BundleManifest manifest,
      SchedulerConfig scheduler,
      TextEncoder text,
      Denoiser denoiser,
      VaeDecoder vae,
      VaeEncoder encoder) {
    this.dir = dir;
    this.manifest = manifest;
    this.scheduler = scheduler;
    this.textEncoder = text;
    this.denoiser = denoiser;
    this.vaeDecoder = vae;
    this.vaeEncoder = encoder;
  }

  /** Loads and validates a bundle; {@link InvalidBundleException} lists what is wrong. */
  public static ModelBundle load(Path dir, OrtSessions sessions) throws OrtException {
    BundleManifest m = BundleManifest.read(dir);
    boolean mavenText = TextEncoder.MAVEN_SOURCE.equals(m.textEncoder().source());
    if (mavenText && m.textEncoder().hiddenSize() != TextEncoder.HIDDEN_SIZE) {
      throw new InvalidBundleException(
          dir,
          List.of(
              "textEncoder.hiddenSize: "
                  + TextEncoder.MAVEN_SOURCE
                  + " gives "
                  + TextEncoder.HIDDEN_SIZE));
    }
    if (!mavenText) {
      List<String> missing = new ArrayList<>();
      for (String[] field :
          List.of(
              new String[] {"textEncoder.source", m.textEncoder().source()},
              new String[] {"textEncoder.tokenizer", m.textEncoder().tokenizer()})) {
        if (field[1] == null || !java.nio.file.Files.isRegularFile(dir.resolve(field[1]))) {
          missing.add(field[0] + ": file " + field[1] + " not found in " + dir);
        }
      }
      if (!missing.isEmpty()) throw new InvalidBundleException(dir, missing);
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
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      OrtSession denoiserSession = open(sessions, dir, m.denoiser().path(), opened);
      OrtSession vaeSession = open(sessions, dir, m.vaeDecoder().path(), opened);
      OrtSession encoderSession =
          m.vaeEncoder() == null ? null : open(sessions, dir, m.vaeEncoder().path(), opened);
      problems.addAll(denoiserProblems(m, denoiserSession));
      problems.addAll(vaeProblems(m, vaeSession));
      if (encoderSession != null) problems.addAll(vaeEncoderProblems(m, encoderSession));
      if (!problems.isEmpty()) throw new InvalidBundleException(dir, problems);
      int maxTokens = m.textEncoder().maxTokens();
      TextEncoder text =
          mavenText
              ? new TextEncoder(sessions, maxTokens)
              : TextEncoder.bundled(
                  sessions,
                  dir.resolve(m.textEncoder().source()),
                  dir.resolve(m.textEncoder().tokenizer()),
                  maxTokens);
      return new ModelBundle(
          dir,
          m,
          scheduler,
          text,
          new Denoiser(m, denoiserSession),
          new VaeDecoder(m, vaeSession),
          encoderSession == null ? null : new VaeEncoder(m, encoderSession));
    } catch (OrtException | RuntimeException e) {
      for (AutoCloseable session : opened) {
        try {
          session.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static OrtSession open(
      OrtSessions sessions, Path dir, String file, List<AutoCloseable> opened) throws OrtException {
    OrtSession session = sessions.open(dir.resolve(file).toString());
    opened.add(session);
    return session;
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
    if (d.frameRateInput() != null)
      requireInput(p, file, inputs, "denoiser.frameRateInput", d.frameRateInput(), 1);
    // An input the manifest does not name would fail every run; say so at start-up instead.
    var fed =
        new java.util.HashSet<>(
            java.util.Arrays.asList(
                d.sampleInput(),
                d.timestepInput(),
                d.textInput(),
                d.textMaskInput(),
                d.frameStrideInput(),
                d.frameRateInput()));
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

  private static List<String> vaeEncoderProblems(BundleManifest m, OrtSession s)
      throws OrtException {
    List<String> p = new ArrayList<>();
    var v = m.vaeEncoder();
    requireInput(p, v.path(), s.getInputInfo(), "vaeEncoder.input", v.input(), 5);
    if (!s.getOutputNames().contains(v.output())) {
      p.add(
          "vaeEncoder.output: '"
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

  /** The latent shape of one chunk of the bundle {@code m} describes. */
  public static LatentShape latentShape(BundleManifest m) {
    return new LatentShape(
        LatentLayout.valueOf(m.latentLayout().name()),
        m.latentChannels(),
        m.latentFrames(),
        m.latentHeight(),
        m.latentWidth());
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

  /** The bundle's VAE encoder, if it has one (required when the VAE compresses time). */
  public java.util.Optional<VaeEncoder> vaeEncoder() {
    return java.util.Optional.ofNullable(vaeEncoder);
  }

  @Override
  public void close() throws OrtException {
    try (textEncoder;
        denoiser;
        vaeDecoder;
        AutoCloseable encoder = vaeEncoder) {
      // closes all four, in reverse order, even if one throws
    } catch (OrtException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
