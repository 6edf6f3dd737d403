package dev.reelfarm.schema.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bundle.json}: everything the worker needs to know about a model bundle to run it. A real
 * exported video model fits the worker by writing this file next to its ONNX files (see
 * models/README.md).
 *
 * <p>{@code latentsMean}/{@code latentsStd} (one number per latent channel, both or neither, as
 * Wan's and LTX's VAE configs have them) normalise latents per channel: the VAE decoder gets {@code
 * z·std/vaeScalingFactor + mean}, the VAE encoder's output becomes {@code (z − mean)·
 * vaeScalingFactor/std}. {@code vaeEncoder} (pixels to latents) is required when {@code
 * vaeTemporalScale} is above 1: a chunk's context frames are then re-encoded from the pixel frames
 * they share with the chunk before, because latent frames of a causal video VAE span several pixel
 * frames and two windows' latent grids do not line up.
 *
 * <p>{@code testFixture} marks a random-weight bundle kept for the tests (it draws noise): tools
 * warn when a farm renders with one instead of guessing from its path. Absent means false.
 */
public record BundleManifest(
    String name,
    String version,
    String description,
    int nativeWidth,
    int nativeHeight,
    int nativeFps,
    int framesPerChunk,
    int latentChannels,
    LatentLayout latentLayout,
    int vaeSpatialScale,
    int vaeTemporalScale,
    double vaeScalingFactor,
    PredictionType predictionType,
    Conditioning conditioning,
    TextEncoderSpec textEncoder,
    DenoiserSpec denoiser,
    VaeDecoderSpec vaeDecoder,
    String schedulerConfig,
    Preview preview,
    int defaultSteps,
    double defaultGuidanceScale,
    boolean testFixture,
    List<Double> latentsMean,
    List<Double> latentsStd,
    VaeEncoderSpec vaeEncoder) {

  /** Order of the latent tensor's axes: batch, channels, frames, height, width. */
  public enum LatentLayout {
    BCFHW,
    BFCHW
  }

  /** What the denoiser predicts. JSON names follow diffusers. */
  public enum PredictionType {
    @JsonProperty("epsilon")
    EPSILON,
    @JsonProperty("v_prediction")
    V_PREDICTION,
    @JsonProperty("sample")
    SAMPLE,
    /** Rectified-flow velocity ε − x0 of a flow-matching model (diffusers' name). */
    @JsonProperty("flow_prediction")
    FLOW_PREDICTION
  }

  /** How known frames condition a chunk: inputs of the denoiser, or replacement of latents. */
  public enum Conditioning {
    @JsonProperty("native")
    NATIVE,
    @JsonProperty("replacement")
    REPLACEMENT
  }

  /**
   * The text encoder: {@code source} is {@code maven:all-minilm-l6-v2} (shipped as a Maven
   * dependency) or a path inside the bundle. Prompts are padded or cut to {@code maxTokens}.
   */
  public record TextEncoderSpec(String source, String tokenizer, int maxTokens, int hiddenSize) {}

  /**
   * ONNX input and output names of the denoiser. {@code context}/{@code contextMask} are required
   * for native conditioning; {@code timestepType} is {@code float32} or {@code int64}. The optional
   * {@code frameStrideInput} (float32 {@code [B]}) tells the model how many native frames lie
   * between its window's frames: 1 for a chunk, the keyframe spacing for an anchor chunk, so a
   * model that has it draws a keyframe pass at the clip's real speed. The optional {@code
   * frameRateInput} (float32 {@code [B]}, LTX-Video's frame-rate conditioning) gets the frame rate
   * of the window's frames: {@code nativeFps / frameStride}. Float inputs and outputs may be
   * float16 in the ONNX file; the worker converts at the tensor boundary.
   */
  public record DenoiserSpec(
      String path,
      String sampleInput,
      String timestepInput,
      String timestepType,
      String textInput,
      String textMaskInput,
      String contextInput,
      String contextMaskInput,
      String frameStrideInput,
      String frameRateInput,
      String output) {}

  /**
   * The VAE decoder: {@code perFrame} decoders take {@code [N, C, h, w]} (frames as batch), video
   * decoders take the latent in the bundle's layout. Output is RGB in [-1, 1].
   */
  public record VaeDecoderSpec(String path, String input, String output, boolean perFrame) {}

  /**
   * The VAE encoder: {@code input} RGB in [-1, 1] as {@code [1, 3, F, H, W]} for F = 1 + s·m
   * consecutive frames, {@code output} their 1 + m latent frames in the bundle's layout.
   */
  public record VaeEncoderSpec(String path, String input, String output) {}

  /** Cheap latent to RGB projection for previews: rgb = bias + sum_c latent_c * factors[c]. */
  public record Preview(List<List<Double>> latentRgbFactors, List<Double> latentRgbBias) {}

  public static final String FILE_NAME = "bundle.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * Whether the bundle in {@code dir} declares itself a test fixture, read leniently (tools ask
   * before they know whether the rest of the manifest is valid): false when there is no readable
   * bundle.json.
   */
  public static boolean declaresTestFixture(Path dir) {
    try {
      return MAPPER
          .readTree(dir.resolve("bundle.json").toFile())
          .path("testFixture")
          .asBoolean(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Reads and validates {@code dir/bundle.json}; the exception lists every problem found. */
  public static BundleManifest read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new InvalidBundleException(dir, List.of("no " + FILE_NAME + " in " + dir));
    }
    BundleManifest manifest;
    try {
      manifest = MAPPER.readValue(file.toFile(), BundleManifest.class);
    } catch (IOException e) {
      throw new InvalidBundleException(
          dir, List.of(FILE_NAME + " is not valid: " + e.getMessage()));
    }
    List<String> problems = manifest.problems(dir);
    if (!problems.isEmpty()) {
      throw new InvalidBundleException(dir, problems);
    }
    return manifest;
  }

  /** Latent frames per chunk, after the VAE's temporal compression. */
  public int latentFrames() {
    return (framesPerChunk - 1) / vaeTemporalScale + 1;
  }

  /** Channel c's latent mean (0 without {@code latentsMean}). */
  public double latentMean(int channel) {
    return latentsMean == null ? 0.0 : latentsMean.get(channel);
  }

  /** Channel c's latent std (1 without {@code latentsStd}). */
  public double latentStd(int channel) {
    return latentsStd == null ? 1.0 : latentsStd.get(channel);
  }

  public int latentHeight() {
    return nativeHeight / vaeSpatialScale;
  }

  public int latentWidth() {
    return nativeWidth / vaeSpatialScale;
  }

  /** Every field-level problem of this manifest, each naming the field. Empty when valid. */
  public List<String> problems(Path dir) {
    List<String> p = new ArrayList<>();
    if (name == null || name.isBlank()) p.add("name: required");
    positive(p, "nativeWidth", nativeWidth);
    positive(p, "nativeHeight", nativeHeight);
    positive(p, "nativeFps", nativeFps);
    positive(p, "framesPerChunk", framesPerChunk);
    positive(p, "latentChannels", latentChannels);
    positive(p, "vaeSpatialScale", vaeSpatialScale);
    positive(p, "vaeTemporalScale", vaeTemporalScale);
    if (vaeSpatialScale > 0
        && (nativeWidth % vaeSpatialScale != 0 || nativeHeight % vaeSpatialScale != 0)) {
      p.add(
          "vaeSpatialScale: "
              + vaeSpatialScale
              + " does not divide "
              + nativeWidth
              + "x"
              + nativeHeight);
    }
    if (vaeScalingFactor <= 0) p.add("vaeScalingFactor: must be > 0");
    if (vaeTemporalScale > 0
        && framesPerChunk > 0
        && (framesPerChunk - 1) % vaeTemporalScale != 0) {
      p.add(
          "framesPerChunk: must be 1 + "
              + vaeTemporalScale
              + "·k for vaeTemporalScale "
              + vaeTemporalScale
              + " (a causal video VAE encodes frame 0 alone, then runs of "
              + vaeTemporalScale
              + "), got "
              + framesPerChunk);
    }
    perChannel(p, "latentsMean", latentsMean, false);
    perChannel(p, "latentsStd", latentsStd, true);
    if ((latentsMean == null) != (latentsStd == null)) {
      p.add((latentsMean == null ? "latentsMean" : "latentsStd") + ": required with the other");
    }
    if (latentLayout == null) p.add("latentLayout: required, one of BCFHW, BFCHW");
    if (predictionType == null)
      p.add("predictionType: required, one of epsilon, v_prediction, sample, flow_prediction");
    if (conditioning == null) p.add("conditioning: required, one of native, replacement");
    if (defaultSteps < 1 || defaultSteps > 100) p.add("defaultSteps: must be within 1..100");
    if (textEncoder == null) {
      p.add("textEncoder: required");
    } else {
      if (textEncoder.source() == null) p.add("textEncoder.source: required");
      positive(p, "textEncoder.maxTokens", textEncoder.maxTokens());
      positive(p, "textEncoder.hiddenSize", textEncoder.hiddenSize());
    }
    if (denoiser == null) {
      p.add("denoiser: required");
    } else {
      file(p, dir, "denoiser.path", denoiser.path());
      for (var field :
          List.of(
              new String[] {"denoiser.sampleInput", denoiser.sampleInput()},
              new String[] {"denoiser.timestepInput", denoiser.timestepInput()},
              new String[] {"denoiser.textInput", denoiser.textInput()},
              new String[] {"denoiser.output", denoiser.output()})) {
        if (field[1] == null || field[1].isBlank()) p.add(field[0] + ": required");
      }
      if (!"float32".equals(denoiser.timestepType()) && !"int64".equals(denoiser.timestepType())) {
        p.add("denoiser.timestepType: must be float32 or int64");
      }
      if (conditioning == Conditioning.NATIVE
          && (denoiser.contextInput() == null || denoiser.contextMaskInput() == null)) {
        p.add("denoiser.contextInput/contextMaskInput: required for native conditioning");
      }
    }
    if (vaeDecoder == null) {
      p.add("vaeDecoder: required");
    } else {
      file(p, dir, "vaeDecoder.path", vaeDecoder.path());
      if (vaeDecoder.input() == null) p.add("vaeDecoder.input: required");
      if (vaeDecoder.output() == null) p.add("vaeDecoder.output: required");
    }
    if (vaeEncoder == null) {
      if (vaeTemporalScale > 1) {
        p.add(
            "vaeEncoder: required when vaeTemporalScale > 1 (context frames are re-encoded from"
                + " pixels)");
      }
    } else {
      file(p, dir, "vaeEncoder.path", vaeEncoder.path());
      if (vaeEncoder.input() == null) p.add("vaeEncoder.input: required");
      if (vaeEncoder.output() == null) p.add("vaeEncoder.output: required");
    }
    file(p, dir, "schedulerConfig", schedulerConfig);
    if (preview != null
        && preview.latentRgbFactors() != null
        && preview.latentRgbFactors().size() != latentChannels) {
      p.add("preview.latentRgbFactors: needs one row per latent channel (" + latentChannels + ")");
    }
    return p;
  }

  private void perChannel(List<String> p, String field, List<Double> values, boolean positive) {
    if (values == null) return;
    if (values.size() != latentChannels) {
      p.add(field + ": needs one number per latent channel (" + latentChannels + ")");
    }
    for (Double v : values) {
      if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
        p.add(field + ": every number must be finite" + (positive ? " and > 0" : ""));
        return;
      }
    }
  }

  private static void positive(List<String> p, String field, int value) {
    if (value <= 0) p.add(field + ": must be > 0");
  }

  private static void file(List<String> p, Path dir, String field, String relative) {
    if (relative == null || relative.isBlank()) {
      p.add(field + ": required");
    } else if (dir != null && !Files.isRegularFile(dir.resolve(relative))) {
      p.add(field + ": file " + relative + " not found in " + dir);
    }
  }
}
