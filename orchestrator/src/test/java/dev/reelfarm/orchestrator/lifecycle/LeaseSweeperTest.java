package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leases and timeouts on a real PostgreSQL: lapsed leases and lost workers release chunks under a
 * new dispatch epoch, stalled encodes are sent again, unplaceable jobs say why.
 */
@WithPostgres
class LeaseSweeperTest {
  private final TestDatabase database;
  private final OrchestratorFixture farm;

  LeaseSweeperTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  /** One chunk (1 s), dispatched by the dispatcher to w1 and started there. */
  private ChunkRow runningOnW1(UUID job) {
    farm.heartbeat("w1", List.of(0));
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.start(chunk, "w1");
    return farm.chunk(job, 0);
  }

  private UUID oneChunkJob() {
    return farm.lifecycle.submit(request(1, RenderMode.INDEPENDENT, 0)).id();
  }

  private void lapseLeases() {
    farm.sql("UPDATE chunk SET lease_expires_at = now() - interval '1 second'");
  }

  private List<ChunkTask> tasks() {
    return farm.outbox(Topics.CHUNK_TASKS).stream()
        .map(t -> MessageCodec.fromJson(t.payload(), ChunkTask.class))
        .toList();
  }

  @Test
  void aRunWhoseLeaseLapsedIsSupersededAndTheChunkGoesToAnotherLiveWorkerUnderANewEpoch() {
    UUID job = oneChunkJob();
    ChunkRow chunk = runningOnW1(job);
    UUID hung = chunk.run().runId();
    farm.heartbeat("w2", List.of(1));
    lapseLeases();

    assertThat(farm.sweeper.expireLeases()).isEqualTo(1);

    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.READY);
    assertThat(farm.chunk(job, 0).run().error()).contains("no progress from w1");
    assertThat(farm.eventTypes(job)).endsWith("chunk-failed");
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    assertThat(farm.outbox(Topics.CHUNK_TASKS).get(1).partition())
        .as("to w2, on which the chunk has not failed")
        .isEqualTo(1);
    assertThat(tasks()).extracting(ChunkTask::dispatchEpoch).containsExactly(1, 2);

    farm.complete(chunk, hung, "w1");
    assertThat(farm.chunk(job, 0).status())
        .as("the hung run's late result is dropped")
        .isEqualTo(ChunkStatus.DISPATCHED);
    UUID live = farm.start(chunk, "w2");
    farm.complete(chunk, live, "w2");
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.DONE);
    assertThat(farm.chunk(job, 0).run().attempt()).isEqualTo(2);
  }

  @Test
  void aNewLeaderJudgesNoLeaseBeforeItHasReadWhatQueuedWhileNoOrchestratorRan() {
    UUID job = oneChunkJob();
    runningOnW1(job);
    lapseLeases();

    farm.sweeper.sweep(FaultPolicy.CATCH_UP.minusSeconds(1));
    assertThat(farm.chunk(job, 0).status())
        .as("its progress may still be on the topic, unread")
        .isEqualTo(ChunkStatus.RUNNING);

    farm.sweeper.sweep(FaultPolicy.CATCH_UP);
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.READY);
  }

  @Test
  void aZombiesLateStartCannotReplaceTheLiveRun() {
    UUID job = oneChunkJob();
    ChunkRow chunk = runningOnW1(job);
    farm.heartbeat("w2", List.of(1));
    lapseLeases();
    farm.sweeper.expireLeases();
    farm.dispatcher.dispatchReady();
    UUID live = farm.start(chunk, "w2");

    UUID zombie = farm.start(chunk, "w1", 1); // a new run from the first dispatch, arriving late
    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Step(
            1, job, chunk.id(), zombie, "w1", 3, OrchestratorFixture.STEPS, null, 0, 1));
    farm.fail(chunk, zombie, "w1", "late failure");

    ChunkRow now = farm.chunk(job, 0);
    assertThat(now.status()).isEqualTo(ChunkStatus.RUNNING);
    assertThat(now.run().runId()).isEqualTo(live);
    assertThat(now.run().workerId()).isEqualTo("w2");
    assertThat(now.run().step()).isZero();
  }

  @Test
  void aStepRenewsTheLeaseOfItsRun() {
    UUID job = oneChunkJob();
    ChunkRow chunk = runningOnW1(job);
    lapseLeases();
    farm.lifecycle.onChunkEvent(
        new ChunkEvent.Step(
            1,
            job,
            chunk.id(),
            chunk.run().runId(),
            "w1",
            1,
            OrchestratorFixture.STEPS,
            null,
            0,
            1));

    assertThat(farm.sweeper.expireLeases()).isZero();
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.RUNNING);
  }

  @Test
  void aTaskAimedAtAWorkerThatDoesNotStartItWithinTheLeaseIsReleased() {
    UUID job = oneChunkJob();
    farm.heartbeat("w1", List.of(0));
    farm.dispatcher.dispatchReady();
    lapseLeases();

    assertThat(farm.sweeper.expireLeases()).isEqualTo(1);

    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.READY);
    assertThat(farm.chunk(job, 0).run().error()).contains("w1 did not start it");
  }

  @Test
  void aWorkerWhoseHeartbeatStoppedIsMarkedLostAndItsChunksAreReleased() {
    UUID job = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0)).id();
    farm.heartbeat("w1", List.of(0));
    farm.dispatcher.dispatchReady();
    ChunkRow running = farm.chunk(job, 0);
    farm.start(running, "w1");
    farm.sql(
        "UPDATE chunk SET status = 'DISPATCHED', target_worker = 'w1', lease_expires_at = NULL"
            + " WHERE job_id = '"
            + job
            + "' AND chunk_index = 1");
    farm.sql("UPDATE worker SET last_heartbeat_at = now() - interval '1 minute'");

    assertThat(farm.sweeper.releaseLostWorkers()).isEqualTo(2);

    assertThat(farm.chunks(job))
        .extracting(ChunkRow::status)
        .containsExactly(ChunkStatus.READY, ChunkStatus.READY);
    assertThat(farm.eventTypes(job))
        .as("only the running chunk was a lost run")
        .filteredOn("chunk-failed"::equals)
        .hasSize(1);
    assertThat(farm.sweeper.releaseLostWorkers()).as("marked lost once").isZero();
    farm.heartbeat("w1", List.of(0));
    farm.sql("UPDATE worker SET last_heartbeat_at = now() - interval '1 minute'");
    assertThat(farm.sweeper.releaseLostWorkers())
        .as("a heartbeat makes it live again; lost again, it holds nothing")
        .isZero();
  }

  @Test
  void anEncodeWithoutWordFromAnEncoderIsSentAgainInFull() {
    UUID job = oneChunkJob();
    for (ChunkRow chunk : farm.chunks(job)) farm.render(chunk, "w1");
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.ENCODING);
    int sent = farm.outbox(Topics.ENCODE_TASKS).size();

    assertThat(farm.sweeper.resendStalledEncodes()).as("within the timeout").isZero();
    farm.sql("UPDATE render_job SET encoding_started_at = now() - interval '1 hour'");
    farm.lifecycle.onJobEvent(new JobEvent.Encoding(1, job, 0));
    assertThat(farm.sweeper.resendStalledEncodes()).as("the encoder spoke").isZero();
    farm.sql("UPDATE render_job SET encode_progress_at = now() - interval '1 hour'");

    assertThat(farm.sweeper.resendStalledEncodes()).isEqualTo(1);

    var tasks = farm.outbox(Topics.ENCODE_TASKS);
    assertThat(tasks).hasSize(sent + 1);
    EncodeTask again = MessageCodec.fromJson(tasks.get(sent).payload(), EncodeTask.class);
    assertThat(MessageCodec.fromJson(tasks.get(sent - 1).payload(), EncodeTask.class))
        .as("the same complete task")
        .isEqualTo(again);
    assertThat(farm.sweeper.resendStalledEncodes()).as("its timeout restarted").isZero();
  }

  @Test
  void aJobThatCannotBePlacedSaysWhyUntilAWorkerMayTakeIt() {
    UUID job = oneChunkJob();

    farm.sweeper.updateWaitingReasons();
    assertThat(farm.job(job).state().waitingReason()).isEqualTo("no live worker");
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.QUEUED);

    farm.heartbeat("w1", List.of(0));
    farm.sweeper.updateWaitingReasons();
    assertThat(farm.job(job).state().waitingReason()).isNull();
  }
}
