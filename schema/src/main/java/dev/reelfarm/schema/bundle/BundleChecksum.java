package dev.reelfarm.schema.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The identity of a model bundle's contents, the one definition the orchestrator (which tells
 * joining workers its farm's bundle) and a joining worker (which compares its own) both use.
 *
 * <p>{@code sha256:<hex>}, SHA-256 over every regular file under the bundle directory, in the order
 * of their relative paths ({@code /}-separated, compared as strings); each file contributes its
 * relative path (UTF-8), a zero byte, its length (8 bytes, big-endian) and its bytes. So the
 * checksum does not depend on where the bundle lies or in which order its files were written, and a
 * renamed, added, removed or changed file changes it.
 */
public final class BundleChecksum {

  public static final String ALGORITHM_PREFIX = "sha256:";

  private BundleChecksum() {}

  /**
   * The checksum of the bundle in {@code dir}.
   *
   * @throws UncheckedIOException when the directory or one of its files cannot be read
   */
  public static String of(Path dir) {
    MessageDigest sha256 = newDigest();
    try {
      for (Path file : filesInOrder(dir)) {
        String relative = relativeName(dir, file);
        sha256.update(relative.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(Files.size(file)).array());
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buffer = new byte[64 * 1024];
          for (int n; (n = in.read(buffer)) > 0; ) sha256.update(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model bundle " + dir + ": " + e, e);
    }
    return ALGORITHM_PREFIX + HexFormat.of().formatHex(sha256.digest());
  }

  private static List<Path> filesInOrder(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .sorted((a, b) -> relativeName(dir, a).compareTo(relativeName(dir, b)))
          .toList();
    }
  }

  private static String relativeName(Path dir, Path file) {
    return dir.relativize(file).toString().replace(dir.getFileSystem().getSeparator(), "/");
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
