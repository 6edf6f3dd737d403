package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.planning.ChunkPlan;
import dev.reelfarm.orchestrator.planning.Keyframes;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderEvent;
import dev.reelfarm.schema.api.RenderMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The storyboard step of a job with a review, inside the state machine's transactions: at submit
 * the review is recorded (a review plans anchored, and a plan without keyframes is refused); when
 * the last anchor of a review that is not approved completes, the job goes RUNNING →
 * AWAITING_APPROVAL. The infills need no step here: they are never released before the approval
 * (see {@link RenderRepository#releaseDependants}).
 */
final class StoryboardGate {
  private static final Logger LOG = Logger.getLogger(StoryboardGate.class);

  private final RenderRepository repo;
  private final ReviewRepository reviews;
  private final JobEventLog events;

  StoryboardGate(RenderRepository repo, ReviewRepository reviews, JobEventLog events) {
    this.repo = repo;
    this.reviews = reviews;
    this.events = events;
  }

  /**
   * The mode a request is planned in: its own, else anchored for a review (the keyframes are the
   * anchor pass's), else the planner's choice.
   */
  static RenderMode mode(RenderRequest r, RenderMode plannersChoice) {
    if (r.mode() != null) return r.mode();
    return r.review() != null ? RenderMode.ANCHORED : plannersChoice;
  }

  /** Refuses a review of a plan that has no anchor pass (a clip that fits one chunk). */
  static void requireKeyframes(RenderRequest r, ChunkPlan plan, int framesPerChunk, int fps) {
    if (r.review() == null || plan.mode() == RenderMode.ANCHORED) return;
    throw new InvalidRequestException(
        "review",
        String.format(
            Locale.ROOT,
            "review '%s' needs keyframes, and a clip of %d native frames fits one chunk of %d, so"
                + " its plan has no anchor pass; ask for more than %.1f s",
            r.review().id(),
            plan.totalFrames(),
            framesPerChunk,
            (double) framesPerChunk / fps));
  }

  /** Records the job's review (in its submit transaction). */
  void open(Connection c, UUID jobId, RenderRequest r) throws SQLException {
    if (r.review() != null) reviews.insert(c, jobId, r.review());
  }

  /**
   * After a chunk of the job completed (the job row locked): if every anchor is now DONE and the
   * job's review waits for an approval, the job waits in AWAITING_APPROVAL with its storyboard.
   */
  void afterChunkDone(Connection c, UUID jobId, List<ChunkRow> chunks) throws SQLException {
    List<ChunkRow> anchors =
        chunks.stream().filter(ch -> ch.plan().role() == ChunkRole.ANCHOR).toList();
    if (anchors.isEmpty() || anchors.stream().anyMatch(ch -> ch.status() != ChunkStatus.DONE))
      return;
    var review = reviews.find(c, jobId);
    if (review.isEmpty() || review.get().approvedAt() != null) return;
    if (!repo.transitionJob(c, jobId, Set.of(JobStatus.RUNNING), JobStatus.AWAITING_APPROVAL, null))
      return;
    reviews.startWaiting(c, jobId);
    JobRow job = repo.findJob(c, jobId, false).orElseThrow();
    int keyframes =
        Keyframes.of(chunks.stream().map(ChunkRow::plan).toList(), job.spec().totalFrames()).size();
    int round = review.get().round();
    String seed = Long.toString(job.spec().seed());
    String storyboard = "/api/v1/renders/" + jobId + "/storyboard";
    events.append(
        c,
        jobId,
        (seq, at) ->
            new RenderEvent.AwaitingApproval(jobId, seq, at, round, keyframes, seed, storyboard));
    LOG.infof("job %s: anchor pass %d done, %d keyframes await approval", jobId, round, keyframes);
  }
}
