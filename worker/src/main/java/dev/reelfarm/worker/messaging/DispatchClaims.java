package dev.reelfarm.worker.messaging;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.ChunkTask;

/**
 * At most one worker renders each dispatch of a chunk. A task's offset is committed only after its
 * result, so when a worker dies mid-chunk Kafka hands the same task (same dispatch epoch) to the
 * next owner of its partition. That copy can never count: the orchestrator refuses a second run of
 * a started dispatch on another worker and re-dispatches a lost chunk under a new epoch. Rendering
 * it anyway wastes a chunk time, and a chunk that crashes its worker would crash every worker that
 * inherits the partition, long after its job has failed. So the first worker to start a dispatch
 * claims it with an artifact in the shared store ({@code <chunk prefix>/claims/epoch-<n>}, created
 * if absent, atomically: O_EXCL on a filesystem, a conditional PUT on S3); a copy claimed by
 * another worker is skipped and committed past. The claiming worker itself may start it again (its
 * local retry, or the same worker restarted).
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
    return artifacts.claim(claimKey(task), workerId);
  }

  /** The worker that claimed {@code task}'s dispatch, for the log. */
  String claimant(ChunkTask task) {
    return artifacts.claimant(claimKey(task)).orElse("?");
  }

  private static String claimKey(ChunkTask task) {
    return task.artifactPrefix() + "/claims/epoch-" + task.dispatchEpoch();
  }
}
