package dev.reelfarm.worker.model;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds training captions with the worker's own text encoder, so the model is trained on exactly
 * the conditioning it gets at serve time. Writes {@code <out>.hidden.npy} float32 [N, T, 384] and
 * {@code <out>.mask.npy} float32 [N, T]; row 0 is the empty prompt (the unconditional embedding),
 * then one row per line of the captions file.
 *
 * <p>Usage: {@code EmbedCaptions <captions.txt> <outPrefix> [maxTokens=24]}
 */
public final class EmbedCaptions {
  private static final int BATCH = 64;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: EmbedCaptions <captions.txt> <outPrefix> [maxTokens=24]");
      System.exit(2);
    }
    List<String> captions = new ArrayList<>();
    captions.add("");
    captions.addAll(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
    int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 24;
    int n = captions.size();
    long start = System.nanoTime();
    try (TextEncoder encoder =
            new TextEncoder(
                new OrtSessions(Runtime.getRuntime().availableProcessors(), false), maxTokens);
        NpyWriter hidden =
            new NpyWriter(Path.of(args[1] + ".hidden.npy"), n, maxTokens, TextEncoder.HIDDEN_SIZE);
        NpyWriter mask = new NpyWriter(Path.of(args[1] + ".mask.npy"), n, maxTokens)) {
      for (int from = 0; from < n; from += BATCH) {
        TextEncoder.Embedding e = encoder.encode(captions.subList(from, Math.min(n, from + BATCH)));
        hidden.write(e.hidden());
        mask.write(e.mask());
      }
    }
    System.err.printf(
        "embedded %d captions (%d tokens) in %.1f s%n",
        n, maxTokens, (System.nanoTime() - start) / 1e9);
  }

  /** Streams a C-order float32 .npy file of a known shape. */
  static final class NpyWriter implements AutoCloseable {
    private final DataOutputStream out;

    NpyWriter(Path path, int... shape) throws IOException {
      out =
          new DataOutputStream(
              new java.io.BufferedOutputStream(Files.newOutputStream(path), 1 << 20));
      StringBuilder dims = new StringBuilder();
      for (int d : shape) dims.append(d).append(", ");
      String header =
          "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
      int total = 10 + header.length() + 1;
      header = header + " ".repeat((64 - total % 64) % 64) + "\n";
      out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      out.write(header.length() & 0xff);
      out.write((header.length() >> 8) & 0xff);
      out.write(header.getBytes(StandardCharsets.US_ASCII));
    }

    void write(float[] values) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().put(values);
      ((OutputStream) out).write(buffer.array());
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
