package dev.reelfarm.orchestrator.retention;

import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A job's intermediate artifacts in the store: everything under its chunks prefix (each run's
 * frames, latents and previews) and the hidden files of its output folder (an encoder's scratch
 * file, an interrupted atomic write). The visible output files, the video and the poster, stay.
 */
final class Intermediates {
  private final ArtifactStore store;

  Intermediates(ArtifactStore store) {
    this.store = store;
  }

  /** Deletes them; a job that has none (never rendered, already removed) is fine. */
  void remove(UUID job) throws IOException {
    deleteTree(store.resolve(ArtifactLayout.chunksPrefix(job)));
    Path output = store.resolve(ArtifactLayout.outputPrefix(job));
    if (!Files.isDirectory(output)) return;
    List<Path> hidden;
    try (Stream<Path> files = Files.list(output)) {
      hidden = files.filter(f -> f.getFileName().toString().startsWith(".")).toList();
    }
    for (Path f : hidden) deleteTree(f);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    List<Path> deepestFirst;
    try (Stream<Path> all = Files.walk(root)) {
      deepestFirst = all.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : deepestFirst) {
      try {
        Files.delete(p);
      } catch (NoSuchFileException e) {
        // gone meanwhile: what we wanted
      }
    }
  }
}
