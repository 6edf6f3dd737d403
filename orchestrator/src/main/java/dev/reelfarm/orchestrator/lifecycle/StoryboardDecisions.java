package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A person's decision on a storyboard that waits for approval: approve (the infills are released
 * and render), reject and cancel (the job is CANCELLED; its infills never rendered), or reject and
 * reroll (the anchors render again with a new seed, and the job waits again). Each is one
 * transaction on the locked job row and refused unless the job is AWAITING_APPROVAL, so two
 * decisions on one storyboard cannot both apply.
 */
@ApplicationScoped
public class StoryboardDecisions {
  private static final Logger LOG = Logger.getLogger(StoryboardDecisions.class);
  private static final SecureRandom SEEDS = new SecureRandom();
  static final String REJECTED = "storyboard rejected";

  private final Database db;
  private final RenderRepository repo;
  private final ReviewRepository reviews;
  private final JobEventLog events;
  private final Wakeup relay;
  private final LongSupplier randomSeed;

  /** The job is not waiting for approval (any more): the decision changes nothing (409). */
  public static final class NotAwaitingApproval extends RuntimeException {
    NotAwaitingApproval(UUID jobId, JobStatus status) {
      super(
          "render "
              + jobId
              + " is "
              + status
              + ": only a render in AWAITING_APPROVAL can be approved or rejected");
    }
  }

  @Inject
  public StoryboardDecisions(
      Database db,
      RenderRepository repo,
      ReviewRepository reviews,
      JobEventLog events,
      Wakeup relay) {
    this(db, repo, reviews, events, relay, () -> SEEDS.nextLong() >>> 1);
  }

  /**
   * @param randomSeed the seed of a reroll that names none (made non-negative here)
   */
  public StoryboardDecisions(
      Database db,
      RenderRepository repo,
      ReviewRepository reviews,
      JobEventLog events,
      Wakeup relay,
      LongSupplier randomSeed) {
    this.db = db;
    this.repo = repo;
    this.reviews = reviews;
    this.events = events;
    this.relay = relay;
    this.randomSeed = randomSeed;
  }

  /** Approves the storyboard: AWAITING_APPROVAL → RUNNING, the infills become READY. */
  public JobRow approve(UUID jobId) {
    return decide(
        jobId,
        (c, job) -> {
          var review = reviews.approve(c, jobId).orElseThrow();
          repo.transitionJob(
              c, jobId, Set.of(JobStatus.AWAITING_APPROVAL), JobStatus.RUNNING, null);
          int released = repo.releaseDependants(c, jobId);
          events.append(
              c,
              jobId,
              (seq, at) ->
                  new RenderEvent.Approved(jobId, seq, at, review.round(), review.waitedMs()));
          LOG.infof(
              "job %s: storyboard %d approved after %d ms, %d infills released",
              jobId, review.round(), review.waitedMs(), released);
        });
  }

  /** Rejects the storyboard and cancels the job: nothing more of it renders. */
  public JobRow cancel(UUID jobId) {
    return decide(
        jobId,
        (c, job) -> {
          reviews.endWaiting(c, jobId);
          repo.transitionJob(
              c, jobId, Set.of(JobStatus.AWAITING_APPROVAL), JobStatus.CANCELLED, REJECTED);
          repo.cancelOpenChunks(c, jobId);
          events.append(c, jobId, (seq, at) -> new RenderEvent.Cancelled(jobId, seq, at, REJECTED));
          LOG.infof("job %s: storyboard rejected, cancelled", jobId);
        });
  }

  /**
   * Rejects the storyboard for another: the anchors render again with {@code seed} (null: a random
   * one), the job is RUNNING until the new anchor pass waits for approval in turn.
   */
  public JobRow reroll(UUID jobId, Long seed) {
    return decide(
        jobId,
        (c, job) -> {
          long next = seed != null ? seed : randomSeed.getAsLong();
          if (next == job.spec().seed())
            throw new InvalidRequestException(
                "seed", "is the seed of the current keyframes; another seed renders other ones");
          var review = reviews.nextRound(c, jobId).orElseThrow();
          reviews.setSeed(c, jobId, next);
          int anchors = reviews.resetAnchors(c, jobId, "rerolled for round " + review.round());
          repo.transitionJob(
              c, jobId, Set.of(JobStatus.AWAITING_APPROVAL), JobStatus.RUNNING, null);
          String seedText = Long.toString(next);
          events.append(
              c,
              jobId,
              (seq, at) -> new RenderEvent.Rerolled(jobId, seq, at, review.round(), seedText));
          LOG.infof(
              "job %s: storyboard rejected, %d anchors render again with seed %d (round %d)",
              jobId, anchors, next, review.round());
        });
  }

  @FunctionalInterface
  private interface Decision {
    void apply(Connection c, JobRow job) throws SQLException;
  }

  /**
   * Applies {@code decision} to the locked job if it waits for approval; the job after it.
   *
   * @throws NotAwaitingApproval when it does not
   */
  private JobRow decide(UUID jobId, Decision decision) {
    JobRow after =
        db.inTransaction(
            c -> {
              JobRow job = repo.findJob(c, jobId, true).orElseThrow();
              if (job.status() != JobStatus.AWAITING_APPROVAL)
                throw new NotAwaitingApproval(jobId, job.status());
              decision.apply(c, job);
              return repo.findJob(c, jobId, false).orElseThrow();
            });
    relay.wake();
    return after;
  }
}
