package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job and chunk state machine on a real PostgreSQL: every transition and every refusal. */
@WithPostgres
class RenderLifecycleTest {
  private static final int MAX_ATTEMPTS = 2;

  private final TestDatabase database;
  private final OrchestratorFixture farm;

  RenderLifecycleTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, MAX_ATTEMPTS);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private UUID submit(RenderMode mode) {
    return farm.lifecycle.submit(request(2, mode, 0)).id();
  }

  @Test
  void submissionStoresThePlanWithOnlyChunksWithoutDependenciesReady() {
    UUID job = submit(RenderMode.SEQUENTIAL);

    JobRow row = farm.job(job);
    assertThat(row.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(row.spec().mode()).isEqualTo(RenderMode.SEQUENTIAL);
    assertThat(row.state().createdAt()).isNotNull();
    List<ChunkRow> chunks = farm.chunks(job);
    assertThat(chunks).hasSizeGreaterThan(1);
    assertThat(chunks.get(0).status()).isEqualTo(ChunkStatus.READY);
    assertThat(chunks.subList(1, chunks.size()))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.PENDING));
    assertThat(farm.eventTypes(job)).containsExactly("queued");
    assertThat(farm.wakeups).hasValue(1);
  }

  @Test
  void theFirstStartedRunMovesTheJobToRunning() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);
    assertThat(farm.job(job).state().startedAt()).isNotNull();
    ChunkRow.Run state = farm.chunk(job, 0).run();
    assertThat(state.status()).isEqualTo(ChunkStatus.RUNNING);
    assertThat(state.runId()).isEqualTo(run);
    assertThat(state.workerId()).isEqualTo("w1");
    assertThat(state.attempt()).isEqualTo(1);
    assertThat(farm.eventTypes(job)).containsExactly("queued", "chunk-started");
  }

  @Test
  void aStartOfAChunkThatWasNeverDispatchedIsIgnored() {
    UUID job = submit(RenderMode.INDEPENDENT);
    farm.start(farm.chunk(job, 0), "w1");

    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.READY);
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(farm.eventTypes(job)).containsExactly("queued");
  }

  @Test
  void aRedeliveredStartOfTheSameRunCountsOnce() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");
    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Started(1, job, chunk.id(), run, "w1", OrchestratorFixture.STEPS, 0));

    assertThat(farm.chunk(job, 0).run().attempt()).isEqualTo(1);
    assertThat(farm.eventTypes(job)).containsExactly("queued", "chunk-started");
  }

  @Test
  void theResultOfASupersededRunIsDropped() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID first = farm.start(chunk, "w1");
    // w1 presumed dead: the chunk was dispatched again (a newer epoch) and w2 took it
    UUID second = farm.start(chunk, "w2", farm.epoch(chunk) + 1);

    farm.complete(chunk, first, "w1");

    ChunkRow.Run state = farm.chunk(job, 0).run();
    assertThat(state.status()).isEqualTo(ChunkStatus.RUNNING);
    assertThat(state.runId()).isEqualTo(second);
    assertThat(state.attempt()).isEqualTo(2);
    assertThat(farm.chunk(job, 0).result().framesUri()).isNull();
    assertThat(farm.eventTypes(job)).doesNotContain("chunk-completed");

    farm.complete(chunk, second, "w2");
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.DONE);
    assertThat(farm.chunk(job, 0).result().framesUri()).contains("run-" + second);
  }

  @Test
  void aStepOfASupersededRunIsNotRecorded() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID first = farm.start(chunk, "w1");
    farm.start(chunk, "w2", farm.epoch(chunk) + 1);

    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Step(
            1, job, chunk.id(), first, "w1", 5, OrchestratorFixture.STEPS, null, 0));

    assertThat(farm.chunk(job, 0).run().step()).isZero();
    assertThat(farm.eventTypes(job)).doesNotContain("step");
  }

  @Test
  void stepsMoveForwardOnlyAndAPreviewIsAnnounced() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");
    int wakeupsBefore = farm.wakeups.get();

    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Step(
            1, job, chunk.id(), run, "w1", 4, OrchestratorFixture.STEPS, "file:///p4.png", 0));
    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Step(
            1,
            job,
            chunk.id(),
            run,
            "w1",
            3,
            OrchestratorFixture.STEPS,
            null,
            0)); // late, reordered

    assertThat(farm.chunk(job, 0).run().step()).isEqualTo(4);
    assertThat(farm.chunk(job, 0).result().previewUri()).isEqualTo("file:///p4.png");
    assertThat(farm.eventTypes(job)).containsExactly("queued", "chunk-started", "step", "preview");
    assertThat(farm.wakeups).as("progress needs no dispatch").hasValue(wakeupsBefore);
  }

  @Test
  void aSecondCompletionOfTheSameRunChangesNothing() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");
    farm.complete(chunk, run, "w1");
    List<String> events = farm.eventTypes(job);
    int encodeTasks = farm.outbox(Topics.ENCODE_TASKS).size();

    farm.complete(chunk, run, "w1");

    assertThat(farm.eventTypes(job)).isEqualTo(events);
    assertThat(farm.outbox(Topics.ENCODE_TASKS)).hasSize(encodeTasks);
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.DONE);
  }

  @Test
  void theLastChunkDoneStartsEncodingWithACompleteEncodeTask() {
    UUID job = submit(RenderMode.INDEPENDENT);
    for (ChunkRow chunk : farm.chunks(job)) farm.render(chunk, "w1");

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.ENCODING);
    assertThat(farm.job(job).state().encodingStartedAt()).isNotNull();
    List<OrchestratorFixture.OutboxRow> tasks = farm.outbox(Topics.ENCODE_TASKS);
    EncodeTask last =
        MessageCodec.fromJson(tasks.get(tasks.size() - 1).payload(), EncodeTask.class);
    assertThat(last.complete()).isTrue();
    assertThat(last.chunks()).allSatisfy(c -> assertThat(c.framesUri()).isNotNull());
    assertThat(tasks).allSatisfy(t -> assertThat(t.key()).isEqualTo(job.toString()));
    assertThat(farm.eventTypes(job)).endsWith("chunk-completed", "encoding");
  }

  @Test
  void aChunkFinishingTheStartOfTheClipSendsAPartialEncodeTask() {
    UUID job = submit(RenderMode.INDEPENDENT);
    farm.render(farm.chunk(job, 0), "w1");

    List<OrchestratorFixture.OutboxRow> tasks = farm.outbox(Topics.ENCODE_TASKS);
    assertThat(tasks).hasSize(1);
    assertThat(MessageCodec.fromJson(tasks.get(0).payload(), EncodeTask.class).complete())
        .isFalse();
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void dependantsBecomeReadyOnlyWhenAllTheirDependenciesAreDone() {
    UUID job = farm.lifecycle.submit(request(4, RenderMode.ANCHORED, 0)).id();
    List<ChunkRow> anchors =
        farm.chunks(job).stream().filter(c -> c.plan().role() == ChunkRole.ANCHOR).toList();
    List<ChunkRow> infills =
        farm.chunks(job).stream().filter(c -> c.plan().role() == ChunkRole.INFILL).toList();
    assertThat(infills)
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.PENDING));

    for (int i = 0; i < anchors.size(); i++) {
      ChunkRow anchor = farm.chunk(job, anchors.get(i).index());
      assertThat(anchor.status()).as("anchor %d", i).isEqualTo(ChunkStatus.READY);
      farm.render(anchor, "w1");
    }

    for (ChunkRow infill : infills) {
      ChunkRow now = farm.chunk(job, infill.index());
      boolean depsDone =
          now.plan().dependsOn().stream()
              .allMatch(d -> farm.chunk(job, d).status() == ChunkStatus.DONE);
      assertThat(depsDone).isTrue();
      assertThat(now.status()).isEqualTo(ChunkStatus.READY);
    }
  }

  @Test
  void aSequentialChunkWaitsForItsPredecessor() {
    UUID job = submit(RenderMode.SEQUENTIAL);
    ChunkRow first = farm.chunk(job, 0);
    farm.dispatch(first);
    UUID run = farm.start(first, "w1");
    assertThat(farm.chunk(job, 1).status())
        .as("predecessor running")
        .isEqualTo(ChunkStatus.PENDING);

    farm.complete(first, run, "w1");

    assertThat(farm.chunk(job, 1).status()).isEqualTo(ChunkStatus.READY);
    assertThat(farm.chunks(job).subList(2, farm.chunks(job).size()))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.PENDING));
  }

  @Test
  void aFailedRunIsRetriedThenFailsTheJobAfterMaxAttempts() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    int tasksBefore = farm.outbox(Topics.CHUNK_TASKS).size();

    farm.fail(chunk, farm.start(chunk, "w1"), "w1", "out of memory");

    ChunkRow retried = farm.chunk(job, 0);
    assertThat(retried.status())
        .as("attempt 1 of %d failed: READY for the dispatcher to place past w1", MAX_ATTEMPTS)
        .isEqualTo(ChunkStatus.READY);
    assertThat(retried.run().error()).isEqualTo("out of memory");
    assertThat(retried.run().finishedAt()).isNull();
    assertThat(farm.outbox(Topics.CHUNK_TASKS))
        .as("not re-sent by key: the dispatcher places it")
        .hasSize(tasksBefore);
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);

    farm.dispatch(chunk);
    farm.fail(chunk, farm.start(chunk, "w2"), "w2", "out of memory again");

    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.FAILED);
    JobRow failed = farm.job(job);
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.state().error())
        .isEqualTo("chunk 0 failed after 2 attempts: out of memory again");
    assertThat(failed.state().finishedAt()).isNotNull();
    assertThat(farm.chunk(job, 1).status())
        .as("the job's other chunks")
        .isEqualTo(ChunkStatus.CANCELLED);
    assertThat(farm.eventTypes(job))
        .endsWith("chunk-failed", "chunk-started", "chunk-failed", "failed");
    assertThat(farm.outbox(Topics.JOB_CONTROL))
        .singleElement()
        .satisfies(
            m ->
                assertThat(MessageCodec.fromJson(m.payload(), JobControl.class).action())
                    .isEqualTo(JobControl.Action.CANCEL));
  }

  @Test
  void aFailureReportOfASupersededRunIsDropped() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID first = farm.start(chunk, "w1");
    UUID second = farm.start(chunk, "w2", farm.epoch(chunk) + 1);

    farm.fail(chunk, first, "w1", "lost its partition");

    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.RUNNING);
    assertThat(farm.chunk(job, 0).run().runId()).isEqualTo(second);
    assertThat(farm.eventTypes(job)).doesNotContain("chunk-failed");
  }

  @Test
  void cancellingARunningJobDropsTheLateResultsOfItsRuns() {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");

    assertThat(farm.lifecycle.cancel(job))
        .get()
        .extracting(JobRow::status)
        .isEqualTo(JobStatus.CANCELLED);
    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Step(1, job, chunk.id(), run, "w1", 5, OrchestratorFixture.STEPS, null, 0));
    farm.complete(chunk, run, "w1");

    assertThat(farm.chunks(job))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.CANCELLED));
    assertThat(farm.chunk(job, 0).result().framesUri()).isNull();
    JobRow cancelled = farm.job(job);
    assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cancelled.state().error()).isEqualTo("cancelled by request");
    assertThat(farm.eventTypes(job)).containsExactly("queued", "chunk-started", "cancelled");
    assertThat(farm.outbox(Topics.ENCODE_TASKS)).isEmpty();
    assertThat(farm.outbox(Topics.JOB_CONTROL)).hasSize(1);
  }

  @Test
  void aWorkersReportWaitsForTheJobACancelHoldsBeforeTouchingTheChunk() throws Exception {
    UUID job = submit(RenderMode.INDEPENDENT);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    int epoch = farm.epoch(chunk);

    try (Connection cancel = database.connect()) {
      cancel.setAutoCommit(false);
      // A cancel's first half: the job's row, locked.
      farm.repo.findJob(cancel, job, true);
      var start = CompletableFuture.runAsync(() -> farm.start(chunk, "w1", epoch));
      await().atMost(Duration.ofSeconds(30)).until(this::aTransactionWaitsForALock);
      // Its second half: the job's chunks. Had the report locked the chunk before waiting for the
      // job, this would wait for the report while the report waits for it, a deadlock; the lock
      // timeout, shorter than PostgreSQL's deadlock timeout, makes that fail here.
      try (Statement s = cancel.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '500ms'");
      }
      farm.repo.transitionJob(
          cancel, job, JobStatus.OPEN, JobStatus.CANCELLED, RenderLifecycle.CANCELLED_BY_REQUEST);
      assertThat(farm.repo.cancelOpenChunks(cancel, job)).isEqualTo(farm.chunks(job).size());
      cancel.commit();
      start.get(30, TimeUnit.SECONDS);
    }

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.CANCELLED);
    assertThat(farm.eventTypes(job))
        .as("the start, applied after the cancel")
        .containsExactly("queued");
  }

  private boolean aTransactionWaitsForALock() throws SQLException {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }

  @Test
  void cancellingAFinishedJobChangesNothing() {
    UUID job = submit(RenderMode.INDEPENDENT);
    farm.lifecycle.cancel(job);
    List<String> events = farm.eventTypes(job);

    assertThat(farm.lifecycle.cancel(job))
        .get()
        .extracting(JobRow::status)
        .isEqualTo(JobStatus.CANCELLED);

    assertThat(farm.eventTypes(job)).isEqualTo(events);
    assertThat(farm.outbox(Topics.JOB_CONTROL)).hasSize(1);
  }

  @Test
  void cancellingAnUnknownJobFindsNothing() {
    assertThat(farm.lifecycle.cancel(UUID.randomUUID())).isEmpty();
  }

  @Test
  void theEncodedVideoMakesTheJobSucceededOnce() {
    UUID job = encodingJob();
    var encoded =
        new JobEvent.Encoded(1, job, "file:///v.mp4", "file:///p.jpg", 1234, 2.0, 60, 900, 0);

    farm.lifecycle.onJobEvent(new JobEvent.Encoding(1, job, 0));
    farm.lifecycle.onJobEvent(encoded);
    farm.lifecycle.onJobEvent(encoded); // redelivered

    JobRow done = farm.job(job);
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.result().videoUri()).isEqualTo("file:///v.mp4");
    assertThat(done.result().videoSizeBytes()).isEqualTo(1234);
    assertThat(done.result().videoFrames()).isEqualTo(60);
    assertThat(done.state().finishedAt()).isNotNull();
    assertThat(farm.eventTypes(job))
        .endsWith("encoding", "succeeded")
        .filteredOn("succeeded"::equals)
        .hasSize(1);
  }

  @Test
  void anEncoderFailureFailsTheEncodingJob() {
    UUID job = encodingJob();

    farm.lifecycle.onJobEvent(new JobEvent.Failed(1, job, "no frames", 0));

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.FAILED);
    assertThat(farm.job(job).state().error()).isEqualTo("encoding failed: no frames");
    assertThat(farm.eventTypes(job)).endsWith("failed");
  }

  @Test
  void anEncoderReportForAJobNotEncodingIsIgnored() {
    UUID job = submit(RenderMode.INDEPENDENT);

    farm.lifecycle.onJobEvent(
        new JobEvent.Encoded(1, job, "file:///v.mp4", "file:///p.jpg", 1, 1, 1, 1, 0));
    farm.lifecycle.onJobEvent(new JobEvent.Failed(1, job, "stale", 0));

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(farm.job(job).result().videoUri()).isNull();
    assertThat(farm.eventTypes(job)).containsExactly("queued");
  }

  @Test
  void aJobsEventsAreNumberedOneToNWithoutGaps() {
    UUID job = encodingJob();
    farm.lifecycle.onJobEvent(
        new JobEvent.Encoded(1, job, "file:///v.mp4", "file:///p.jpg", 1, 1, 1, 1, 0));

    var rows = farm.inTransaction(c -> farm.events.forJob(c, job, 0, 1000));
    assertThat(rows)
        .extracting(r -> r.seq())
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, rows.size()).boxed().toList());
    assertThat(rows.get(rows.size() - 1).type()).isEqualTo("succeeded");
  }

  private UUID encodingJob() {
    UUID job = submit(RenderMode.INDEPENDENT);
    for (ChunkRow chunk : farm.chunks(job)) farm.render(chunk, "w1");
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.ENCODING);
    return job;
  }
}
