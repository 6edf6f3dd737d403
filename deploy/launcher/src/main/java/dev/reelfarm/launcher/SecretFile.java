package dev.reelfarm.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/** A secret the farm directory keeps in a file readable by its owner alone (0600). */
final class SecretFile {
  private SecretFile() {}

  /**
   * The secret in {@code file}, generated and written when there is none (or the file is empty).
   * The caller holds the farm directory's lock.
   */
  static String readOrCreate(Path file, Supplier<String> generate) throws IOException {
    if (Files.isRegularFile(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!kept.isEmpty()) return kept;
      Files.delete(file);
    }
    String secret = generate.get();
    // Created with its mode, so the secret is never readable by others, not even for a moment.
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not a POSIX file system: its default permissions
    }
    Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    return secret;
  }
}
