package dev.reelfarm.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.ReviewRepository;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.persistence.WebhookRepository;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.orchestrator.webhooks.WebhookSigner;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.ReviewMode;
import dev.reelfarm.schema.api.WebhookDeliveryView;
import dev.reelfarm.schema.api.WebhookEvent;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Storyboard approval on a real PostgreSQL: a review job waits in AWAITING_APPROVAL once its
 * anchors are done, with no infill released; every decision (approve, reject and cancel, reject and
 * reroll, cancel while waiting) and every refusal.
 */
@WithPostgres
class StoryboardReviewTest {
  private static final long SEED = 7;

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final ReviewRepository reviews = new ReviewRepository();
  private final StoryboardDecisions decisions;

  StoryboardReviewTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
    this.decisions =
        new StoryboardDecisions(
            farm.db, farm.repo, reviews, farm.events, farm.wakeups::incrementAndGet, () -> 99);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private static RenderRequest request(double seconds, RenderMode mode, ReviewMode review) {
    return OrchestratorFixture.request(seconds, mode, 0).toBuilder()
        .seed(SEED)
        .review(review)
        .build();
  }

  /** A 3 s clip (24 native frames): one anchor, four infills. */
  private UUID submitReview() {
    return farm.lifecycle.submit(request(3, null, ReviewMode.KEYFRAMES)).id();
  }

  private List<ChunkRow> role(UUID job, ChunkRole role) {
    return farm.chunks(job).stream().filter(c -> c.plan().role() == role).toList();
  }

  /** Renders every READY anchor until none is left (coarse levels release finer ones). */
  private void renderAnchors(UUID job) {
    List<ChunkRow> ready;
    while (!(ready =
            role(job, ChunkRole.ANCHOR).stream()
                .filter(c -> c.status() == ChunkStatus.READY)
                .toList())
        .isEmpty()) {
      for (ChunkRow anchor : ready) farm.render(anchor, "w1");
    }
  }

  private UUID waitingJob() {
    UUID job = submitReview();
    renderAnchors(job);
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.AWAITING_APPROVAL);
    return job;
  }

  @Test
  void aReviewJobPlansAnchoredAndWaitsOnceItsAnchorsAreDoneWithNoInfillReleased() {
    UUID job = submitReview();
    assertThat(farm.job(job).spec().mode()).isEqualTo(RenderMode.ANCHORED);
    assertThat(role(job, ChunkRole.INFILL)).hasSize(4);

    renderAnchors(job);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.AWAITING_APPROVAL);
    assertThat(farm.job(job).state().finishedAt()).isNull();
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.PENDING));
    assertThat(farm.eventTypes(job)).endsWith("chunk-completed", "awaiting-approval");
    var review = farm.inTransaction(c -> reviews.find(c, job)).orElseThrow();
    assertThat(review.round()).isEqualTo(1);
    assertThat(review.awaitingSince()).isNotNull();
    assertThat(review.approvedAt()).isNull();
  }

  @Test
  void aWaitingJobHasNothingToDispatchAndNoEta() throws Exception {
    UUID job = waitingJob();
    farm.heartbeat("w1", List.of(0));
    farm.heartbeat("w2", List.of(1));

    assertThat(farm.dispatcher.dispatchReady()).isZero();
    int inFlight = farm.inTransaction(c -> farm.repo.countInFlight(c));
    assertThat(inFlight).isZero();
    Double eta =
        farm.inTransaction(
            c ->
                new JobEta(null, farm.workers, farm.repo)
                    .forRequest(c)
                    .remainingSeconds(farm.job(job), farm.chunks(job), Instant.now()));
    assertThat(eta).isNull();
  }

  @Test
  void approvingReleasesTheInfillsAndTheJobRendersToItsEncode() {
    UUID job = waitingJob();

    decisions.approve(job);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.READY));
    assertThat(farm.eventTypes(job)).endsWith("awaiting-approval", "approved");
    for (ChunkRow infill : role(job, ChunkRole.INFILL)) farm.render(infill, "w2");
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.ENCODING);
    assertThat(farm.outbox(Topics.ENCODE_TASKS)).isNotEmpty();
    assertThat(farm.inTransaction(c -> reviews.find(c, job)).orElseThrow().approvedAt())
        .isNotNull();
  }

  @Test
  void aDecisionOnAJobThatDoesNotWaitIsRefusedAndChangesNothing() {
    UUID job = submitReview(); // anchors not rendered: QUEUED

    assertThatThrownBy(() -> decisions.approve(job))
        .isInstanceOf(StoryboardDecisions.NotAwaitingApproval.class)
        .hasMessageContaining("QUEUED");
    assertThatThrownBy(() -> decisions.cancel(job))
        .isInstanceOf(StoryboardDecisions.NotAwaitingApproval.class);
    assertThatThrownBy(() -> decisions.reroll(job, 5L))
        .isInstanceOf(StoryboardDecisions.NotAwaitingApproval.class);
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(farm.job(job).spec().seed()).isEqualTo(SEED);

    renderAnchors(job);
    decisions.approve(job);
    assertThatThrownBy(() -> decisions.approve(job))
        .as("approved twice")
        .isInstanceOf(StoryboardDecisions.NotAwaitingApproval.class)
        .hasMessageContaining("RUNNING");
  }

  @Test
  void rejectingWithCancelCancelsTheJobAndNothingMoreRenders() {
    UUID job = waitingJob();

    decisions.cancel(job);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(farm.job(job).state().error()).isEqualTo(StoryboardDecisions.REJECTED);
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.CANCELLED));
    assertThat(role(job, ChunkRole.ANCHOR))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.DONE));
    assertThat(farm.eventTypes(job)).endsWith("awaiting-approval", "cancelled");
    farm.heartbeat("w1", List.of(0));
    assertThat(farm.dispatcher.dispatchReady()).isZero();
    assertThatThrownBy(() -> decisions.approve(job))
        .isInstanceOf(StoryboardDecisions.NotAwaitingApproval.class);
  }

  @Test
  void rerollRendersTheAnchorsAgainWithTheNewSeedAndWaitsAgain() {
    UUID job = waitingJob();
    ChunkRow first = role(job, ChunkRole.ANCHOR).get(0);

    decisions.reroll(job, 1234L);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);
    assertThat(farm.job(job).spec().seed()).isEqualTo(1234L);
    ChunkRow again = role(job, ChunkRole.ANCHOR).get(0);
    assertThat(again.status()).isEqualTo(ChunkStatus.READY);
    assertThat(again.result().framesUri()).isNull();
    assertThat(again.run().finishedAt()).isNull();
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.PENDING));
    assertThat(farm.eventTypes(job)).endsWith("awaiting-approval", "rerolled");
    // the first pass's run is kept for the team's usage, and its late result changes nothing
    assertThat(count("SELECT count(*) FROM discarded_chunk_run WHERE job_id = '" + job + "'"))
        .isEqualTo(1);
    farm.complete(first, first.run().runId(), "w1");
    assertThat(role(job, ChunkRole.ANCHOR).get(0).status()).isEqualTo(ChunkStatus.READY);
    // the new anchor pass's task carries the new seed, and the job waits again in round 2
    farm.heartbeat("w1", List.of(0));
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    assertThat(farm.outbox(Topics.CHUNK_TASKS).get(farm.outbox(Topics.CHUNK_TASKS).size() - 1))
        .satisfies(t -> assertThat(t.payload()).contains("\"seed\":1234"));
    ChunkRow dispatched = role(job, ChunkRole.ANCHOR).get(0);
    farm.complete(dispatched, farm.start(dispatched, "w1"), "w1");
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.AWAITING_APPROVAL);
    assertThat(farm.inTransaction(c -> reviews.find(c, job)).orElseThrow().round()).isEqualTo(2);
    assertThat(role(job, ChunkRole.ANCHOR).get(0).run().attempt()).isEqualTo(2);

    decisions.approve(job);
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.READY));
  }

  @Test
  void rerollWithoutASeedDrawsOneAndWithTheCurrentSeedIsRefused() {
    UUID job = waitingJob();

    assertThatThrownBy(() -> decisions.reroll(job, SEED))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("seed"));
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.AWAITING_APPROVAL);

    decisions.reroll(job, null);
    assertThat(farm.job(job).spec().seed()).isEqualTo(99); // this test's "random" seed
  }

  @Test
  void theDiscardedAnchorPassStillCountsInTheTeamsUsage() {
    UUID job = waitingJob();
    Instant since = Instant.now().minusSeconds(3600);
    // the anchor pass took 10 s (and the infills nothing yet)
    farm.sql(
        "UPDATE chunk SET started_at = finished_at - interval '10 seconds' WHERE job_id = '"
            + job
            + "' AND role = 'ANCHOR'");

    decisions.reroll(job, 1L);

    double charged =
        farm.inTransaction(c -> farm.shares.usage(c, List.of(TeamRepository.DEFAULT_TEAM), since))
            .get(TeamRepository.DEFAULT_TEAM)
            .total();
    assertThat(charged).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void cancellingAWaitingJobCancelsItsInfills() {
    UUID job = waitingJob();

    farm.lifecycle.cancel(job);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.CANCELLED));
    assertThatThrownBy(() -> decisions.approve(job))
        .isInstanceOf(StoryboardDecisions.NotAwaitingApproval.class);
  }

  @Test
  void aReviewOfAPlanWithoutAnchorsIsRefusedNamingReviewAndStoresNothing() {
    for (RenderRequest r :
        List.of(
            request(1, null, ReviewMode.KEYFRAMES), // 8 frames: one chunk, no anchor pass
            request(3, RenderMode.SEQUENTIAL, ReviewMode.KEYFRAMES))) {
      assertThatThrownBy(() -> farm.lifecycle.submit(r))
          .isInstanceOfSatisfying(
              InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("review"));
    }
    assertThat(count("SELECT count(*) FROM render_job")).isZero();
  }

  @Test
  void aShortClipWithAReviewIsPlannedAnchoredWhereThePlannerWouldChooseSequential() {
    // 12 frames: the planner's default is sequential (two chunks), but anchors fit
    assertThat(farm.lifecycle.submit(request(1.5, null, null)).spec().mode())
        .isEqualTo(RenderMode.SEQUENTIAL);
    UUID job = farm.lifecycle.submit(request(1.5, null, ReviewMode.KEYFRAMES)).id();
    assertThat(farm.job(job).spec().mode()).isEqualTo(RenderMode.ANCHORED);
  }

  @Test
  void anAnchoredJobWithoutReviewNeverWaits() {
    UUID job = farm.lifecycle.submit(request(3, null, null)).id();

    renderAnchors(job);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);
    assertThat(role(job, ChunkRole.INFILL))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.READY));
    assertThat(farm.eventTypes(job)).doesNotContain("awaiting-approval");
  }

  @Test
  void aTeamEndpointSubscribedToAwaitingApprovalGetsTheStoryboardEvent() {
    var hooks = new WebhookRepository();
    UUID endpoint =
        farm.inTransaction(
                c ->
                    hooks.createEndpoint(
                        c,
                        TeamRepository.DEFAULT_TEAM,
                        "https://hooks.example.com/review",
                        List.of(WebhookEvent.RENDER_AWAITING_APPROVAL),
                        null,
                        "",
                        WebhookSigner.newSecret()))
            .id();

    UUID job = waitingJob();

    List<WebhookDeliveryView> sent =
        farm.inTransaction(c -> hooks.forJob(c, TeamRepository.DEFAULT_TEAM, job));
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).endpointId()).isEqualTo(endpoint);
    assertThat(sent.get(0).event()).isEqualTo(WebhookEvent.RENDER_AWAITING_APPROVAL);
  }

  @Test
  void theReviewKindAndWebhookEventChecksEqualTheirEnums() {
    String kinds = constraint("render_review_kind_check");
    for (ReviewMode m : ReviewMode.values()) assertThat(kinds).contains("'" + m.id() + "'");
    assertThat(kinds.split("'", -1)).hasSize(2 * ReviewMode.values().length + 1);
    String events = constraint("webhook_endpoint_events_check");
    for (WebhookEvent e : WebhookEvent.values()) assertThat(events).contains("'" + e.id() + "'");
    assertThat(events.split("'", -1)).hasSize(2 * WebhookEvent.values().length + 1);
  }

  private String constraint(String name) {
    return farm.inTransaction(
        c -> {
          try (var s =
              c.prepareStatement(
                  "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ?")) {
            s.setString(1, name);
            try (var r = s.executeQuery()) {
              r.next();
              return r.getString(1);
            }
          }
        });
  }

  private long count(String sql) {
    return farm.inTransaction(
        c -> {
          try (var s = c.createStatement();
              var r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
          }
        });
  }
}
