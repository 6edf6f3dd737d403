package dev.reelfarm.worker.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A chunk's final latents as an artifact: magic {@code RFLT}, version, rank, dims (int32 each),
 * then float32 values, little-endian. Later chunks read their context frames from it.
 */
public final class LatentFile {
  private static final int MAGIC = 0x544c4652; // "RFLT" little-endian
  private static final int VERSION = 1;

  public record Latents(int[] shape, float[] values) {
    public Latents {
      long n = 1;
      for (int d : shape) n *= d;
      if (n != values.length)
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
    }
  }

  public static byte[] encode(Latents latents) {
    int[] shape = latents.shape();
    ByteBuffer b =
        ByteBuffer.allocate(12 + 4 * shape.length + 4 * latents.values().length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(VERSION).putInt(shape.length);
    for (int d : shape) b.putInt(d);
    b.asFloatBuffer().put(latents.values());
    return b.array();
  }

  public static Latents decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || b.getInt() != MAGIC)
      throw new IllegalArgumentException("not a latents file");
    int version = b.getInt();
    if (version != VERSION)
      throw new IllegalArgumentException("unsupported latents file version " + version);
    int[] shape = new int[b.getInt()];
    for (int i = 0; i < shape.length; i++) shape[i] = b.getInt();
    float[] values = new float[(bytes.length - b.position()) / 4];
    b.asFloatBuffer().get(values);
    return new Latents(shape, values);
  }

  private LatentFile() {}
}
