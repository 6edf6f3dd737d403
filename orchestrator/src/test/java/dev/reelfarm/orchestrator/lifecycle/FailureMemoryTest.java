package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.OrchestratorFixture.OutboxRow;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.WorkerRepository.WorkerRow;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failure memory on a real PostgreSQL: attempts count failures on different workers (poison chunk),
 * a per-job blocklist, and the quarantine of a worker that fails chunk after chunk.
 */
@WithPostgres
class FailureMemoryTest {
  /** 3 workers for a poison chunk, 2 failures per job blocklist, 3 in a row quarantine. */
  private static final FaultPolicy POLICY = new FaultPolicy(3, 30, 2, 15, 3, 3600, 120);

  private final TestDatabase database;
  private final OrchestratorFixture farm;

  FailureMemoryTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, POLICY);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private UUID job(double seconds) {
    return farm.lifecycle.submit(request(seconds, RenderMode.INDEPENDENT, 0)).id();
  }

  /** The chunk is dispatched (by key), started by {@code worker} and fails there. */
  private void failOn(ChunkRow chunk, String worker) {
    farm.dispatch(chunk);
    farm.fail(chunk, farm.start(chunk, worker), worker, "boom on " + worker);
  }

  private WorkerRow worker(String id) {
    return farm.inTransaction(c -> farm.workers.live(c, 15)).stream()
        .filter(w -> w.id().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private List<Integer> partitionsSentTo() {
    return farm.outbox(Topics.CHUNK_TASKS).stream().map(OutboxRow::partition).toList();
  }

  @Test
  void aPoisonChunkFailsItsJobWithItsLastErrorOnceItFailedOnMaxAttemptsDifferentWorkers() {
    UUID poison = job(1);
    UUID beside = job(1);
    ChunkRow chunk = farm.chunk(poison, 0);

    failOn(chunk, "w1");
    failOn(chunk, "w2");
    failOn(chunk, "w1");
    assertThat(farm.job(poison).status())
        .as("failed on 2 different workers only (w1 twice)")
        .isEqualTo(JobStatus.RUNNING);
    assertThat(farm.chunk(poison, 0).status()).isEqualTo(ChunkStatus.READY);

    failOn(chunk, "w3");

    assertThat(farm.chunk(poison, 0).status()).isEqualTo(ChunkStatus.FAILED);
    assertThat(farm.job(poison).status()).isEqualTo(JobStatus.FAILED);
    assertThat(farm.job(poison).state().error())
        .isEqualTo("chunk 0 failed after 4 attempts: boom on w3");
    assertThat(farm.job(beside).status()).as("a job beside it").isEqualTo(JobStatus.QUEUED);
    assertThat(farm.chunk(beside, 0).status()).isEqualTo(ChunkStatus.READY);
  }

  @Test
  void aWorkerThatFailedKChunksOfAJobGetsNoneOfItsChunksAgainButOtherJobsChunks() {
    UUID job = job(4);
    farm.heartbeat("w1", List.of(0));
    failOn(farm.chunk(job, 0), "w1");
    failOn(farm.chunk(job, 1), "w1");

    assertThat(farm.dispatcher.dispatchReady()).as("w1 is blocklisted for the job").isZero();
    farm.sweeper.updateWaitingReasons();
    assertThat(farm.job(job).state().waitingReason())
        .isEqualTo("every live worker is blocklisted for this job after failing its chunks [w1]");

    UUID other = job(1);
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    assertThat(farm.chunk(other, 0).status()).isEqualTo(ChunkStatus.DISPATCHED);

    farm.heartbeat("w2", List.of(5));
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    assertThat(partitionsSentTo()).endsWith(0, 5);
    farm.sweeper.updateWaitingReasons();
    assertThat(farm.job(job).state().waitingReason()).as("w2 may take them").isNull();
  }

  @Test
  void aWorkerThatFailsNChunksInARowIsQuarantinedUntilItRestarts() {
    farm.heartbeat("w1", List.of(0));
    for (int i = 0; i < 3; i++) failOn(farm.chunk(job(1), 0), "w1");

    WorkerRow quarantined = worker("w1");
    assertThat(quarantined.quarantinedAt()).isNotNull();
    assertThat(quarantined.quarantineReason())
        .isEqualTo("failed 3 chunks in a row; latest: boom on w1");
    assertThat(farm.dispatcher.dispatchReady()).as("no chunk for a quarantined worker").isZero();
    farm.sweeper.updateWaitingReasons();
    List<JobRow> jobs = farm.inTransaction(c -> farm.repo.listJobs(c, null, null, null, 10));
    assertThat(jobs)
        .allSatisfy(
            j ->
                assertThat(j.state().waitingReason())
                    .isEqualTo("every live worker is quarantined [w1]"));

    farm.heartbeat("w1", List.of(0), 2); // a new process

    assertThat(worker("w1").quarantinedAt()).isNull();
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
  }

  @Test
  void aQuarantinedWorkerGetsOneProbeAndASuccessEndsItsQuarantine() {
    farm.heartbeat("w1", List.of(0));
    for (int i = 0; i < 3; i++) failOn(farm.chunk(job(1), 0), "w1");
    UUID next = job(1);
    farm.sql("UPDATE worker SET quarantined_at = now() - interval '2 hours'");

    assertThat(farm.dispatcher.dispatchReady()).as("the probe").isEqualTo(1);
    assertThat(farm.dispatcher.dispatchReady()).as("one at a time").isZero();
    ChunkRow probe =
        farm.chunks(next).stream()
            .filter(c -> c.status() == ChunkStatus.DISPATCHED)
            .findFirst()
            .orElseGet(
                () ->
                    farm.outbox(Topics.CHUNK_TASKS).stream()
                        .map(t -> MessageCodec.fromJson(t.payload(), ChunkTask.class))
                        .map(t -> farm.chunk(t.jobId(), t.chunkIndex()))
                        .filter(c -> c.status() == ChunkStatus.DISPATCHED)
                        .findFirst()
                        .orElseThrow());
    farm.complete(probe, farm.start(probe, "w1"), "w1");

    assertThat(worker("w1").quarantinedAt()).isNull();
    assertThat(worker("w1").quarantineReason()).isNull();
  }

  @Test
  void aSuccessInBetweenEndsARunOfFailures() {
    farm.heartbeat("w1", List.of(0));
    failOn(farm.chunk(job(1), 0), "w1");
    failOn(farm.chunk(job(1), 0), "w1");
    ChunkRow ok = farm.chunk(job(1), 0);
    farm.render(ok, "w1");
    failOn(farm.chunk(job(1), 0), "w1");

    assertThat(worker("w1").quarantinedAt()).isNull();
  }

  @Test
  void aFailureReportedAfterTheWorkersLocalRetriesCountsOneAttempt() {
    UUID job = job(1);
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    farm.start(chunk, "w1");
    farm.start(chunk, "w1"); // the worker's local retry: a new run of the same dispatch
    UUID last = farm.start(chunk, "w1");

    farm.fail(chunk, last, "w1", "gave up after local retries");

    assertThat(farm.chunk(job, 0).run().attempt()).isEqualTo(1);
    assertThat(farm.chunk(job, 0).status()).isEqualTo(ChunkStatus.READY);
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.RUNNING);
  }
}
