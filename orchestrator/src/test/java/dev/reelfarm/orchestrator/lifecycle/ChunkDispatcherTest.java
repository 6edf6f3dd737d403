package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.OrchestratorFixture.OutboxRow;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.schema.api.ChunkStatus;
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
 * The dispatcher's transaction on a real PostgreSQL: the in-flight bound, idle-worker routing,
 * priority order.
 */
@WithPostgres
class ChunkDispatcherTest {
  private static final int MAX_IN_FLIGHT = 3;

  private final TestDatabase database;
  private final OrchestratorFixture farm;

  ChunkDispatcherTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), MAX_IN_FLIGHT, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  /** A job whose chunks are all READY (independent mode): 4 s → 4 chunks of 8 frames. */
  private UUID readyJob(int priority) {
    return farm.lifecycle.submit(request(4, RenderMode.INDEPENDENT, priority)).id();
  }

  private long inFlight() {
    return farm.inTransaction(farm.repo::countInFlight);
  }

  @Test
  void oneChunkGoesToEachIdleWorkersPartitionAndNoMore() {
    UUID job = readyJob(0);
    farm.heartbeat("w1", List.of(2, 3));
    farm.heartbeat("w2", List.of(0, 1));

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(2);

    List<OutboxRow> tasks = farm.outbox(Topics.CHUNK_TASKS);
    assertThat(tasks).extracting(OutboxRow::partition).containsExactly(2, 0);
    assertThat(tasks)
        .extracting(t -> MessageCodec.fromJson(t.payload(), ChunkTask.class).chunkIndex())
        .containsExactly(0, 1);
    assertThat(farm.chunks(job))
        .extracting(ChunkRow::status)
        .containsExactly(
            ChunkStatus.DISPATCHED, ChunkStatus.DISPATCHED, ChunkStatus.READY, ChunkStatus.READY);
    assertThat(farm.dispatcher.dispatchReady())
        .as("both workers now have a chunk aimed at them")
        .isZero();
  }

  @Test
  void aWorkerBecomesIdleAgainWhenItsChunkIsDone() {
    UUID job = readyJob(0);
    farm.heartbeat("w1", List.of(0));
    farm.dispatcher.dispatchReady();
    ChunkRow first = farm.chunk(job, 0);
    UUID run = farm.start(first, "w1");
    assertThat(farm.dispatcher.dispatchReady()).as("w1 runs chunk 0").isZero();

    farm.complete(first, run, "w1");

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    assertThat(farm.chunk(job, 1).status()).isEqualTo(ChunkStatus.DISPATCHED);
  }

  @Test
  void theInFlightBoundHoldsOverAllJobs() {
    readyJob(0);
    readyJob(0);
    for (int i = 0; i < 6; i++) farm.heartbeat("w" + i, List.of(i));

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(MAX_IN_FLIGHT);
    assertThat(farm.dispatcher.dispatchReady()).isZero();
    assertThat(inFlight()).isEqualTo(MAX_IN_FLIGHT);
  }

  @Test
  void theHigherPriorityJobGoesFirstThenTheOlderJob() {
    UUID old = readyJob(0);
    UUID urgent = readyJob(5);
    UUID young = readyJob(0);
    farm.heartbeat("w1", List.of(0));

    farm.dispatcher.dispatchReady();
    assertThat(farm.chunk(urgent, 0).status()).isEqualTo(ChunkStatus.DISPATCHED);

    farm.sql(
        "UPDATE chunk SET status = 'DONE' WHERE job_id = '"
            + urgent
            + "'"); // w1 idle again, urgent done
    farm.dispatcher.dispatchReady();
    assertThat(farm.chunk(old, 0).status()).isEqualTo(ChunkStatus.DISPATCHED);
    assertThat(farm.chunks(young))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.READY));
  }

  @Test
  void theLongestCriticalPathGoesFirstWithinAJob() {
    UUID job = farm.lifecycle.submit(request(8, RenderMode.ANCHORED, 0)).id();
    farm.heartbeat("w1", List.of(0));
    List<ChunkRow> ready =
        farm.chunks(job).stream().filter(c -> c.status() == ChunkStatus.READY).toList();

    farm.dispatcher.dispatchReady();

    ChunkRow sent =
        farm.chunks(job).stream()
            .filter(c -> c.status() == ChunkStatus.DISPATCHED)
            .findFirst()
            .orElseThrow();
    int sentPath = criticalPath(sent);
    assertThat(ready).allSatisfy(c -> assertThat(criticalPath(c)).isLessThanOrEqualTo(sentPath));
  }

  @Test
  void withoutReportedPartitionsTasksGoByKeyOnePerLiveWorker() {
    readyJob(0);
    farm.heartbeat("w1", List.of());
    farm.heartbeat("w2", List.of());

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(2);
    assertThat(farm.outbox(Topics.CHUNK_TASKS)).allSatisfy(t -> assertThat(t.partition()).isNull());
    assertThat(farm.dispatcher.dispatchReady())
        .as("at least one while workers are busy")
        .isEqualTo(1);
  }

  @Test
  void chunksOfFinishedJobsAreNotDispatched() {
    UUID job = readyJob(0);
    farm.heartbeat("w1", List.of(0));
    farm.lifecycle.cancel(job);

    assertThat(farm.dispatcher.dispatchReady()).isZero();
    assertThat(farm.outbox(Topics.CHUNK_TASKS)).isEmpty();
  }

  @Test
  void aWorkerWithoutARecentHeartbeatIsNotRoutedTo() {
    readyJob(0);
    farm.heartbeat("w1", List.of(0));
    farm.sql("UPDATE worker SET last_heartbeat_at = now() - interval '1 hour'");

    assertThat(farm.dispatcher.dispatchReady()).as("no live worker: one chunk by key").isEqualTo(1);
    assertThat(farm.outbox(Topics.CHUNK_TASKS))
        .singleElement()
        .satisfies(t -> assertThat(t.partition()).isNull());
  }

  @Test
  void aWorkerWhoseHeartbeatNamesAChunkTakenFromItIsBusyUntilItSaysOtherwise() {
    UUID job = readyJob(0);
    ChunkRow elsewhere = farm.chunk(job, 3);
    farm.dispatch(elsewhere);
    farm.start(elsewhere, "w2"); // w1 is still on a run of it that was superseded (hung)
    farm.heartbeat("w1", List.of(0), elsewhere);

    assertThat(farm.dispatcher.dispatchReady()).isZero();

    farm.complete(elsewhere, farm.chunk(job, 3).run().runId(), "w2");
    assertThat(farm.dispatcher.dispatchReady())
        .as("done by w2, but w1 still renders its own run of it: a hung worker gets no new chunk")
        .isZero();

    farm.heartbeat("w1", List.of(0));
    assertThat(farm.dispatcher.dispatchReady()).as("w1 says it is free").isEqualTo(1);
  }

  @Test
  void aWorkerWhoseHeartbeatStillNamesTheChunkItJustFinishedIsIdleAtOnce() {
    UUID job = readyJob(0);
    ChunkRow own = farm.chunk(job, 3);
    farm.dispatch(own);
    UUID run = farm.start(own, "w1");
    farm.heartbeat("w1", List.of(0), own);
    farm.complete(own, run, "w1");

    assertThat(farm.dispatcher.dispatchReady())
        .as("its heartbeat is merely older than its COMPLETED")
        .isEqualTo(1);
  }

  @Test
  void everyDispatchOfAChunkCarriesANewerEpoch() {
    UUID job = farm.lifecycle.submit(request(1, RenderMode.INDEPENDENT, 0)).id();
    farm.heartbeat("w1", List.of(0));
    farm.heartbeat("w2", List.of(1));
    farm.dispatcher.dispatchReady();
    ChunkRow chunk = farm.chunk(job, 0);
    farm.fail(chunk, farm.start(chunk, "w1"), "w1", "boom");

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);

    assertThat(farm.outbox(Topics.CHUNK_TASKS))
        .extracting(t -> MessageCodec.fromJson(t.payload(), ChunkTask.class).dispatchEpoch())
        .containsExactly(1, 2);
  }

  private int criticalPath(ChunkRow chunk) {
    return farm.inTransaction(
        c -> {
          try (var s = c.prepareStatement("SELECT critical_path FROM chunk WHERE id = ?")) {
            s.setLong(1, chunk.id());
            try (var r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }
}
