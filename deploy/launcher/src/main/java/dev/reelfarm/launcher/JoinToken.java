package dev.reelfarm.launcher;

import java.io.IOException;
import java.nio.file.Path;
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

  /** The token in {@code file}, generated when there is none. */
  static String readOrCreate(Path file) throws IOException {
    return SecretFile.readOrCreate(
        file,
        () -> {
          byte[] bytes = new byte[32];
          RANDOM.nextBytes(bytes);
          return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        });
  }
}
