package dev.reelfarm.worker.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The text encoder, producing token-level states so the denoiser can attend to individual words:
 * the pretrained all-MiniLM-L6-v2 sentence encoder shipped as a Maven dependency, or a bundle's own
 * ONNX encoder with its {@code tokenizer.json} (a T5-family encoder, as LTX-Video and Wan use). A
 * bundled encoder takes {@code input_ids} and {@code attention_mask} (int64 [B, T], and {@code
 * token_type_ids} if it has that input) and returns {@code last_hidden_state} [B, T, hidden], the
 * names of Hugging Face's ONNX exports. Training computes caption embeddings with this same class
 * ({@link EmbedCaptions}), so train and serve condition identically.
 */
public final class TextEncoder implements AutoCloseable {
  public static final String MAVEN_SOURCE = "maven:all-minilm-l6-v2";
  public static final int HIDDEN_SIZE = 384;
  private static final String MODEL_RESOURCE = "/all-minilm-l6-v2.onnx";
  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

  /** Padding and truncation are done here, to the bundle's fixed token count. */
  private static final Map<String, String> TOKENIZER_OPTIONS =
      Map.of("addSpecialTokens", "true", "padding", "false", "truncation", "false");

  private final HuggingFaceTokenizer tokenizer;
  private final OrtSession session;
  private final int maxTokens;
  private final boolean tokenTypes;

  /** Token states of a batch of prompts: {@code hidden} [B, T, hidden] and {@code mask} [B, T]. */
  public record Embedding(int batch, int tokens, float[] hidden, float[] mask) {}

  /** The Maven all-MiniLM-L6-v2 encoder. */
  public TextEncoder(OrtSessions sessions, int maxTokens) throws OrtException {
    this(loadTokenizer(), openResource(sessions), maxTokens);
  }

  private TextEncoder(HuggingFaceTokenizer tokenizer, OrtSession session, int maxTokens)
      throws OrtException {
    this.maxTokens = maxTokens;
    this.tokenizer = tokenizer;
    this.session = session;
    this.tokenTypes = session.getInputNames().contains("token_type_ids");
  }

  /** A bundle's own encoder: {@code model} and {@code tokenizerJson} are files of the bundle. */
  public static TextEncoder bundled(
      OrtSessions sessions, Path model, Path tokenizerJson, int maxTokens) throws OrtException {
    OrtSession session = sessions.open(model.toString());
    try {
      return new TextEncoder(
          HuggingFaceTokenizer.newInstance(tokenizerJson, TOKENIZER_OPTIONS), session, maxTokens);
    } catch (IOException e) {
      session.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private static OrtSession openResource(OrtSessions sessions) throws OrtException {
    try (InputStream in = TextEncoder.class.getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null)
        throw new IllegalStateException("text encoder " + MODEL_RESOURCE + " not on the classpath");
      return sessions.open(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int maxTokens() {
    return maxTokens;
  }

  public Embedding encode(List<String> prompts) throws OrtException {
    int b = prompts.size();
    long[] ids = new long[b * maxTokens];
    long[] attention = new long[b * maxTokens];
    for (int i = 0; i < b; i++) {
      Encoding encoding = tokenizer.encode(prompts.get(i));
      long[] tokenIds = encoding.getIds();
      int n = Math.min(tokenIds.length, maxTokens);
      System.arraycopy(tokenIds, 0, ids, i * maxTokens, n);
      if (tokenIds.length > maxTokens)
        ids[i * maxTokens + maxTokens - 1] = tokenIds[tokenIds.length - 1]; // keep [SEP] or </s>
      for (int t = 0; t < n; t++) attention[i * maxTokens + t] = 1;
    }
    long[] shape = {b, maxTokens};
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(attention), shape);
        OnnxTensor typeTensor =
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * maxTokens]), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsTensor);
      inputs.put("attention_mask", maskTensor);
      if (tokenTypes) inputs.put("token_type_ids", typeTensor);
      float[] states;
      try (OrtSession.Result result = session.run(inputs)) {
        states = Tensors.read((OnnxTensor) result.get("last_hidden_state").orElseThrow());
      }
      float[] mask = new float[b * maxTokens];
      for (int i = 0; i < mask.length; i++) mask[i] = attention[i];
      return new Embedding(b, maxTokens, states, mask);
    }
  }

  /**
   * Read from the classpath stream: a temporary copy of the file would outlive every worker killed
   * with SIGKILL ({@code deleteOnExit} never runs), one 700 KB file per start.
   */
  private static HuggingFaceTokenizer loadTokenizer() {
    try (InputStream in = TextEncoder.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (in == null)
        throw new IllegalStateException(
            "tokenizer " + TOKENIZER_RESOURCE + " not on the classpath");
      return HuggingFaceTokenizer.newInstance(in, TOKENIZER_OPTIONS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
    tokenizer.close();
  }
}
