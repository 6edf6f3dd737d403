package dev.reelfarm.worker.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the little-endian float32 C-order .npy files of the golden fixtures. */
public final class Npy {
  public static float[] read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int major = bytes[6];
    int headerLength = major == 1 ? (b.getShort(8) & 0xffff) : b.getInt(8);
    int offset = (major == 1 ? 10 : 12) + headerLength;
    String header =
        new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
    if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
      throw new IOException(file + ": expected little-endian float32 in C order, header " + header);
    }
    float[] values = new float[(bytes.length - offset) / 4];
    b.position(offset);
    b.asFloatBuffer().get(values);
    return values;
  }

  private Npy() {}
}
