package dev.reelfarm.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The farm's join token ({@code reelfarm.join.token}): what a worker or encoder on another host
 * shows to {@code GET /api/v1/farm/join}. Generated at a farm directory's first start (32 random
 * bytes, URL-safe Base64) and kept in {@code <dir>/join-token}, readable by its owner alone; a
 * fresh start keeps it, so the join commands already handed out stay valid.
 */
final class JoinToken {

  static final String PROPERTY = "reelfarm.join.token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private JoinToken() {}

  /**
   * The token in {@code file}, generated and written (mode 0600) when there is none. The caller
   * holds the farm directory's lock.
   */
  static String readOrCreate(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!kept.isEmpty()) return kept;
      Files.delete(file);
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    // Created with its mode, so the token is never readable by others, not even for a moment.
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    return token;
  }
}
