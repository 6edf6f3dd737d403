package dev.reelfarm.orchestrator.retention;

import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import java.util.UUID;

/**
 * A job's intermediate artifacts in the store: everything under its chunks prefix (each run's
 * frames, latents and previews) and the hidden files of its output folder and of its versions'
 * folders in it (an encoder's scratch file, an interrupted atomic write). The visible output files,
 * every version's video and poster, stay.
 */
final class Intermediates {
  private final ArtifactStore store;

  Intermediates(ArtifactStore store) {
    this.store = store;
  }

  /** Deletes them; a job that has none (never rendered, already removed) is fine. */
  void remove(UUID job) {
    store.deleteTree(ArtifactLayout.chunksPrefix(job));
    String output = ArtifactLayout.outputPrefix(job) + "/";
    for (String key : store.list(ArtifactLayout.outputPrefix(job))) {
      String folder = output;
      for (String name : key.substring(output.length()).split("/")) {
        if (name.startsWith(".")) {
          store.deleteTree(folder + name);
          break;
        }
        folder += name + "/";
      }
    }
  }
}
