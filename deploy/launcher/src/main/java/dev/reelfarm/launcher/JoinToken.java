package dev.reelfarm.launcher;

import dev.reelfarm.schema.api.ApiKeys;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The farm's join token ({@code reelfarm.join.token}): what a worker or encoder on another host
 * shows to {@code GET /api/v1/farm/join}. Generated at a farm directory's first start (32 random
 * bytes, URL-safe Base64) and kept in {@code <dir>/join-token}, readable by its owner alone; a
 * fresh start keeps it, so the join commands already handed out stay valid.
 */
final class JoinToken {

  static final String PROPERTY = "reelfarm.join.token";

  private JoinToken() {}

  /** The token in {@code file}, generated when there is none. */
  static String readOrCreate(Path file) throws IOException {
    return SecretFile.readOrCreate(file, ApiKeys::randomToken);
  }
}
