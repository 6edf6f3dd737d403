package dev.reelfarm.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole-directory file operations the launcher and its child processes need. */
public final class Directories {

  private Directories() {}

  /** Deletes {@code path} and everything under it; nothing when it does not exist. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** {@code dir}, created empty: what was in it before is deleted. */
  public static Path emptied(Path dir) throws IOException {
    deleteRecursively(dir);
    return Files.createDirectories(dir);
  }
}
