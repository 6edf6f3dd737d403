package dev.reelfarm.orchestrator.persistence;

import static dev.reelfarm.orchestrator.OrchestratorFixture.STEPS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compare-and-set SQL of jobs and chunks on a real PostgreSQL, refusals and run fencing
 * included.
 */
@WithPostgres
class RenderRepositoryTest {
  private static final int LEASE = 30;
  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final RenderRepository repo;
  private final ChunkRuns runs;

  RenderRepositoryTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
    this.repo = farm.repo;
    this.runs = farm.runs;
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  @Test
  void aJobReadsBackWithTheSpecItWasStoredWith() {
    UUID id = jobWithJoin();

    JobRow job = farm.inTransaction(c -> repo.findJob(c, id, false)).orElseThrow();

    assertThat(job.spec().interpolation()).isEqualTo(Interpolation.BLEND);
    assertThat(job.spec().preset()).isEqualTo("tiktok");
    assertThat(job.teamId()).isEqualTo(TeamRepository.DEFAULT_TEAM);
  }

  /** A job with chunks 0 and 1 (no dependencies, READY) and chunk 2 depending on both (PENDING). */
  private UUID jobWithJoin() {
    UUID id = UUID.randomUUID();
    var spec =
        new JobRow.Spec(
            "p",
            "",
            3,
            "tiktok",
            1,
            STEPS,
            3,
            0,
            RenderMode.ANCHORED,
            "tiny-shapes",
            8,
            64,
            112,
            24,
            Interpolation.BLEND);
    farm.inTransaction(
        c -> {
          repo.insertJob(
              c,
              new JobRow(
                  id,
                  TeamRepository.DEFAULT_TEAM,
                  spec,
                  JobRow.State.queued(),
                  JobRow.Result.NONE));
          repo.insertChunk(c, id, chunk(0, List.of()), ChunkStatus.READY, STEPS, 2);
          repo.insertChunk(c, id, chunk(1, List.of()), ChunkStatus.READY, STEPS, 2);
          repo.insertChunk(c, id, chunk(2, List.of(0, 1)), ChunkStatus.PENDING, STEPS, 1);
          return null;
        });
    return id;
  }

  private static PlannedChunk chunk(int index, List<Integer> dependsOn) {
    List<Integer> frames = IntStream.range(index * 8, index * 8 + 8).boxed().toList();
    return new PlannedChunk(
        index, ChunkRole.WINDOW, frames, index * 8, index * 8 + 8, dependsOn, List.of());
  }

  private <T> T tx(Database.Work<T> work) {
    return farm.inTransaction(work);
  }

  private boolean ok(Database.Work<Boolean> work) {
    return tx(work);
  }

  private int rows(Database.Work<Integer> work) {
    return tx(work);
  }

  private java.util.OptionalInt step(Database.Work<java.util.OptionalInt> work) {
    return tx(work);
  }

  private List<JobRow> list(JobStatus status, Instant before, int limit) {
    return tx(c -> repo.listJobs(c, null, status, before, limit));
  }

  private java.util.OptionalDouble pace() {
    return tx(c -> repo.recentFinishMsPerFrame(c, 10));
  }

  private long id(UUID job, int index) {
    return farm.chunk(job, index).id();
  }

  /** DISPATCHED (epoch 1) and started by run {@code run} on w1. */
  private void running(UUID job, int index, UUID run) {
    tx(
        c ->
            runs.markDispatched(c, id(job, index), "w1", LEASE).isPresent()
                && runs.startRun(c, id(job, index), run, 1, "w1", STEPS, LEASE));
  }

  private boolean start(UUID job, int index, UUID run, int epoch, String worker) {
    return ok(c -> runs.startRun(c, id(job, index), run, epoch, worker, STEPS, LEASE));
  }

  @Test
  void aJobTransitionIsRefusedFromAStateNotExpected() {
    UUID job = jobWithJoin();

    assertThat(
            ok(
                c ->
                    repo.transitionJob(
                        c, job, Set.of(JobStatus.RUNNING), JobStatus.ENCODING, null)))
        .isFalse();
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(farm.job(job).state().encodingStartedAt()).isNull();
  }

  @Test
  void aJobTransitionStampsTheTimeOfItsNewState() {
    UUID job = jobWithJoin();

    assertThat(
            ok(c -> repo.transitionJob(c, job, Set.of(JobStatus.QUEUED), JobStatus.RUNNING, null)))
        .isTrue();
    assertThat(
            ok(
                c ->
                    repo.transitionJob(
                        c, job, Set.of(JobStatus.RUNNING), JobStatus.ENCODING, null)))
        .isTrue();
    assertThat(ok(c -> repo.transitionJob(c, job, JobStatus.OPEN, JobStatus.FAILED, "boom")))
        .isTrue();

    JobRow.State state = farm.job(job).state();
    assertThat(state.status()).isEqualTo(JobStatus.FAILED);
    assertThat(state.startedAt()).isNotNull();
    assertThat(state.encodingStartedAt()).isNotNull();
    assertThat(state.finishedAt()).isNotNull();
    assertThat(state.error()).isEqualTo("boom");
    assertThat(ok(c -> repo.transitionJob(c, job, JobStatus.OPEN, JobStatus.CANCELLED, null)))
        .as("final is final")
        .isFalse();
  }

  @Test
  void aVideoIsRecordedOnlyForAnEncodingJob() {
    UUID job = jobWithJoin();
    assertThat(ok(c -> repo.recordVideo(c, job, "v", "p", 1, 1, 1, 1))).isFalse();

    tx(c -> repo.transitionJob(c, job, Set.of(JobStatus.QUEUED), JobStatus.ENCODING, null));
    assertThat(ok(c -> repo.recordVideo(c, job, "v", "p", 10, 2.5, 60, 700))).isTrue();

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(farm.job(job).result()).isEqualTo(new JobRow.Result("v", "p", 10L, 2.5, 60, 700L));
  }

  @Test
  void aChunkStartsOnlyOnceDispatched() {
    UUID job = jobWithJoin();
    assertThat(start(job, 0, UUID.randomUUID(), 1, "w1")).as("READY").isFalse();
    assertThat(start(job, 2, UUID.randomUUID(), 1, "w1")).as("PENDING").isFalse();
    assertThat(step(c -> runs.markDispatched(c, id(job, 2), null, LEASE)))
        .as("PENDING is not READY")
        .isEmpty();

    assertThat(step(c -> runs.markDispatched(c, id(job, 0), "w1", LEASE)))
        .as("the first dispatch epoch")
        .hasValue(1);
    assertThat(step(c -> runs.markDispatched(c, id(job, 0), "w1", LEASE)))
        .as("already dispatched")
        .isEmpty();
    assertThat(start(job, 0, UUID.randomUUID(), 1, "w1")).isTrue();
  }

  @Test
  void aNewRunFencesOutTheResultsOfTheOldOne() {
    UUID job = jobWithJoin();
    UUID old = UUID.randomUUID();
    UUID current = UUID.randomUUID();
    running(job, 0, old);
    assertThat(start(job, 0, current, 2, "w2")).as("a run of a newer dispatch").isTrue();

    assertThat(step(c -> runs.recordStep(c, id(job, 0), old, 3, null, LEASE))).isEmpty();
    assertThat(ok(c -> runs.completeRun(c, id(job, 0), old, "f", "l", 1, 1, 1))).isFalse();
    assertThat(ok(c -> runs.failRun(c, id(job, 0), old, "late"))).isFalse();

    ChunkRow chunk = farm.chunk(job, 0);
    assertThat(chunk.status()).isEqualTo(ChunkStatus.RUNNING);
    assertThat(chunk.run().attempt()).isEqualTo(2);
    assertThat(chunk.run().workerId()).isEqualTo("w2");
    assertThat(ok(c -> runs.completeRun(c, id(job, 0), current, "f", "l", 1, 2, 3))).isTrue();
  }

  @Test
  void aRunOfAnOlderOrEqualDispatchNeverSupersedesTheCurrentRun() {
    UUID job = jobWithJoin();
    UUID live = UUID.randomUUID();
    running(job, 0, live);
    tx(c -> runs.markDispatched(c, id(job, 1), "w1", LEASE));

    assertThat(start(job, 0, UUID.randomUUID(), 0, "w2")).as("older epoch").isFalse();
    assertThat(start(job, 0, UUID.randomUUID(), 1, "w2"))
        .as("same epoch, another worker (a redelivered task)")
        .isFalse();

    ChunkRow chunk = farm.chunk(job, 0);
    assertThat(chunk.run().runId()).isEqualTo(live);
    assertThat(chunk.run().workerId()).isEqualTo("w1");
    assertThat(chunk.run().attempt()).isEqualTo(1);
    assertThat(start(job, 1, UUID.randomUUID(), 0, "w2"))
        .as("a worker without epochs (0) still takes a chunk with no current run")
        .isTrue();
  }

  @Test
  void aRedeliveredTaskOfAnEarlierDispatchCannotStartTheChunk() {
    UUID job = jobWithJoin();
    UUID first = UUID.randomUUID();
    running(job, 0, first);
    tx(c -> runs.failRun(c, id(job, 0), first, "oom"));
    assertThat(step(c -> runs.markDispatched(c, id(job, 0), "w2", LEASE))).hasValue(2);

    assertThat(start(job, 0, UUID.randomUUID(), 1, "w3")).as("epoch 1 is not the latest").isFalse();
    assertThat(start(job, 0, UUID.randomUUID(), 2, "w2")).isTrue();
  }

  @Test
  void aLocalRetryOnTheSameWorkerTakesOverItsRunWithoutANewAttempt() {
    UUID job = jobWithJoin();
    UUID first = UUID.randomUUID();
    UUID retry = UUID.randomUUID();
    running(job, 0, first);

    assertThat(start(job, 0, retry, 1, "w1")).isTrue();

    ChunkRow chunk = farm.chunk(job, 0);
    assertThat(chunk.run().runId()).isEqualTo(retry);
    assertThat(chunk.run().attempt()).as("local retries burn no attempt").isEqualTo(1);
    assertThat(ok(c -> runs.completeRun(c, id(job, 0), first, "f", "l", 1, 1, 1))).isFalse();
    assertThat(ok(c -> runs.completeRun(c, id(job, 0), retry, "f", "l", 1, 1, 1))).isTrue();
  }

  @Test
  void aChunkCompletesOnlyOnce() {
    UUID job = jobWithJoin();
    UUID run = UUID.randomUUID();
    running(job, 0, run);

    assertThat(ok(c -> runs.completeRun(c, id(job, 0), run, "f1", "l1", 1, 2, 3))).isTrue();
    assertThat(ok(c -> runs.completeRun(c, id(job, 0), run, "f2", "l2", 4, 5, 6))).isFalse();

    ChunkRow done = farm.chunk(job, 0);
    assertThat(done.result()).isEqualTo(new ChunkRow.Result("f1", "l1", null, 1L, 2L, 3L));
    assertThat(done.run().step()).isEqualTo(STEPS);
    assertThat(done.run().finishedAt()).isNotNull();
    assertThat(start(job, 0, UUID.randomUUID(), 2, "w3"))
        .as("a done chunk never runs again")
        .isFalse();
  }

  @Test
  void aStepIsRecordedOnlyForward() {
    UUID job = jobWithJoin();
    UUID run = UUID.randomUUID();
    running(job, 0, run);

    assertThat(step(c -> runs.recordStep(c, id(job, 0), run, 4, "p4", LEASE))).hasValue(0);
    assertThat(step(c -> runs.recordStep(c, id(job, 0), run, 4, null, LEASE))).isEmpty();
    assertThat(step(c -> runs.recordStep(c, id(job, 0), run, 2, null, LEASE))).isEmpty();
    assertThat(step(c -> runs.recordStep(c, id(job, 0), run, 5, null, LEASE))).hasValue(0);

    assertThat(farm.chunk(job, 0).run().step()).isEqualTo(5);
    assertThat(farm.chunk(job, 0).result().previewUri())
        .as("kept without a new preview")
        .isEqualTo("p4");
  }

  @Test
  void aFailedRunGoesBackToReadyForAnotherDispatchOrFailsForGood() {
    UUID job = jobWithJoin();
    UUID first = UUID.randomUUID();
    running(job, 0, first);

    assertThat(ok(c -> runs.failRun(c, id(job, 0), first, "oom"))).isTrue();
    ChunkRow retry = farm.chunk(job, 0);
    assertThat(retry.status())
        .as("placed again by the dispatcher, past the blocklist")
        .isEqualTo(ChunkStatus.READY);
    assertThat(retry.run().finishedAt()).isNull();
    assertThat(retry.run().dispatchedAt()).isNotNull();
    assertThat(ok(c -> runs.failRun(c, id(job, 0), first, "oom"))).as("not running").isFalse();

    UUID second = UUID.randomUUID();
    assertThat(step(c -> runs.markDispatched(c, id(job, 0), "w2", LEASE))).hasValue(2);
    assertThat(start(job, 0, second, 2, "w2")).isTrue();
    assertThat(farm.chunk(job, 0).run().error()).as("a new run clears the error").isNull();
    assertThat(ok(c -> runs.failRun(c, id(job, 0), second, "oom again"))).isTrue();
    tx(
        c -> {
          runs.failChunk(c, id(job, 0));
          return null;
        });
    ChunkRow failed = farm.chunk(job, 0);
    assertThat(failed.status()).isEqualTo(ChunkStatus.FAILED);
    assertThat(failed.run().error()).isEqualTo("oom again");
    assertThat(failed.run().finishedAt()).isNotNull();
  }

  @Test
  void aChunkIsReleasedOnlyWhenAllItsDependenciesAreDone() {
    UUID job = jobWithJoin();
    UUID run = UUID.randomUUID();
    running(job, 0, run);
    tx(c -> runs.completeRun(c, id(job, 0), run, "f", "l", 1, 1, 1));

    assertThat(rows(c -> repo.releaseDependants(c, job))).as("chunk 1 not done").isZero();
    assertThat(farm.chunk(job, 2).status()).isEqualTo(ChunkStatus.PENDING);

    UUID run1 = UUID.randomUUID();
    running(job, 1, run1);
    tx(c -> runs.completeRun(c, id(job, 1), run1, "f", "l", 1, 1, 1));

    assertThat(rows(c -> repo.releaseDependants(c, job))).isEqualTo(1);
    assertThat(farm.chunk(job, 2).status()).isEqualTo(ChunkStatus.READY);
  }

  @Test
  void cancellingAJobsChunksLeavesFinishedOnesAlone() {
    UUID job = jobWithJoin();
    UUID run = UUID.randomUUID();
    running(job, 0, run);
    tx(c -> runs.completeRun(c, id(job, 0), run, "f", "l", 1, 1, 1));
    running(job, 1, UUID.randomUUID());

    assertThat(rows(c -> repo.cancelOpenChunks(c, job))).isEqualTo(2);

    assertThat(farm.chunks(job))
        .extracting(ChunkRow::status)
        .containsExactly(ChunkStatus.DONE, ChunkStatus.CANCELLED, ChunkStatus.CANCELLED);
    assertThat(farm.chunk(job, 1).run().finishedAt()).isNotNull();
  }

  @Test
  void inFlightCountsDispatchedAndRunningChunks() {
    UUID job = jobWithJoin();
    tx(c -> runs.markDispatched(c, id(job, 0), null, LEASE));
    running(job, 1, UUID.randomUUID());

    assertThat(rows(repo::countInFlight)).isEqualTo(2);
  }

  @Test
  void twoDispatchersNeverLockTheSameReadyChunk() throws Exception {
    UUID job = jobWithJoin();
    try (Connection first = database.connect();
        Connection second = database.connect()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      List<TeamShares.ReadyChunk> a = farm.shares.lockReadyChunks(first, 1);
      List<TeamShares.ReadyChunk> b = farm.shares.lockReadyChunks(second, 10);
      assertThat(a).hasSize(1);
      assertThat(b).hasSize(1);
      assertThat(a.get(0).chunk().id()).isNotEqualTo(b.get(0).chunk().id());
      first.rollback();
      second.rollback();
    }
    assertThat(farm.chunks(job)).hasSize(3);
  }

  @Test
  void jobsAreListedNewestFirstAndPagedByCreationTime() {
    UUID[] jobs = new UUID[5];
    for (int i = 0; i < jobs.length; i++) {
      jobs[i] = jobWithJoin();
      farm.sql(
          "UPDATE render_job SET created_at = timestamptz '2026-01-01T00:00:00Z' + interval '"
              + i
              + " minutes' WHERE id = '"
              + jobs[i]
              + "'");
    }
    tx(c -> repo.transitionJob(c, jobs[3], Set.of(JobStatus.QUEUED), JobStatus.RUNNING, null));

    List<JobRow> page1 = tx(c -> repo.listJobs(c, null, null, null, 2));
    assertThat(page1).extracting(JobRow::id).containsExactly(jobs[4], jobs[3]);
    Instant cursor = page1.get(1).state().createdAt();
    assertThat(list(null, cursor, 2)).extracting(JobRow::id).containsExactly(jobs[2], jobs[1]);
    assertThat(list(null, Instant.parse("2026-01-01T00:01:00Z"), 10))
        .extracting(JobRow::id)
        .containsExactly(jobs[0]);
    assertThat(list(JobStatus.RUNNING, null, 10)).extracting(JobRow::id).containsExactly(jobs[3]);
    assertThat(list(JobStatus.SUCCEEDED, null, 10)).isEmpty();
  }

  @Test
  void theFinishingPaceIsUnknownUntilAJobSucceeded() {
    assertThat(pace()).isEmpty();

    UUID job = jobWithJoin();
    farm.sql(
        "UPDATE chunk SET status = 'DONE', finished_at = timestamptz '2026-01-01T00:00:00Z' WHERE job_id = '"
            + job
            + "'");
    farm.sql(
        "UPDATE render_job SET status = 'SUCCEEDED', video_frames = 100,"
            + " finished_at = timestamptz '2026-01-01T00:00:02Z' WHERE id = '"
            + job
            + "'");

    assertThat(pace()).hasValue(20.0); // 2 s over 100 frames
  }
}
