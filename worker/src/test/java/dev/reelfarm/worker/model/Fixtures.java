package dev.reelfarm.worker.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test model bundles (tiny random weights exported by models/training/export_tiny_random.py). */
public final class Fixtures {
  public static Path bundle(String name) {
    return repoPath("models/fixtures/" + name);
  }

  /** A bundle directory of the repository, found from the test's working directory upwards. */
  public static Path repoPath(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate.resolve("bundle.json"))) return candidate;
    }
    throw new IllegalStateException(
        "bundle " + relative + " not found above " + Path.of("").toAbsolutePath());
  }

  private Fixtures() {}
}
