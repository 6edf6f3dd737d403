package dev.reelfarm.worker.messaging;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.ChunkTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * At most one worker renders each dispatch of a chunk. A task's offset is committed only after its
 * result, so when a worker dies mid-chunk Kafka hands the same task (same dispatch epoch) to the
 * next owner of its partition. That copy can never count: the orchestrator refuses a second run of
 * a started dispatch on another worker and re-dispatches a lost chunk under a new epoch. Rendering
 * it anyway wastes a chunk time, and a chunk that crashes its worker would crash every worker that
 * inherits the partition, long after its job has failed. So the first worker to start a dispatch
 * claims it with a file in the shared artifact store ({@code <chunk prefix>/claims/epoch-<n>},
 * created atomically); a copy claimed by another worker is skipped and committed past. The claiming
 * worker itself may start it again (its local retry, or the same worker restarted).
 */
final class DispatchClaims {
  private final ArtifactStore artifacts;

  DispatchClaims(ArtifactStore artifacts) {
    this.artifacts = artifacts;
  }

  /**
   * Claims {@code task}'s dispatch for {@code workerId}.
   *
   * @return true when this worker holds the claim (new, or its own); false when another worker
   *     claimed it first
   */
  boolean claim(ChunkTask task, String workerId) {
    if (task.dispatchEpoch() == 0) return true; // a task from before epochs: nothing to claim
    Path claim = artifacts.resolve(task.artifactPrefix() + "/claims/epoch-" + task.dispatchEpoch());
    try {
      Files.createDirectories(claim.getParent());
      try {
        Files.writeString(claim, workerId, StandardOpenOption.CREATE_NEW);
        return true;
      } catch (FileAlreadyExistsException e) {
        // Being written by its claimant right now reads as empty: claimed by another all the same.
        return Files.readString(claim, StandardCharsets.UTF_8).equals(workerId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim " + claim, e);
    }
  }

  /** The worker that claimed {@code task}'s dispatch, for the log. */
  String claimant(ChunkTask task) {
    Path claim = artifacts.resolve(task.artifactPrefix() + "/claims/epoch-" + task.dispatchEpoch());
    try {
      return Files.readString(claim, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "?";
    }
  }
}
