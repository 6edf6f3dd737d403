package dev.reelfarm.orchestrator.leadership;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.OrchestratorFixture.OutboxRow;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobEventLog.EventRow;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The invariants that must hold with two orchestrator replicas on one PostgreSQL (each its own
 * state machine and dispatcher, as two processes have): gap-free events, the in-flight bound, no
 * chunk dispatched twice.
 */
@WithPostgres
class TwoReplicasTest {
  private static final int MAX_IN_FLIGHT = 3;

  private final TestDatabase database;
  private final OrchestratorFixture replicaA;
  private final OrchestratorFixture replicaB;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  TwoReplicasTest(TestDatabase database) {
    this.database = database;
    this.replicaA = new OrchestratorFixture(database.dataSource(), MAX_IN_FLIGHT, 3);
    this.replicaB = new OrchestratorFixture(database.dataSource(), MAX_IN_FLIGHT, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void eventsOfAJobStayGapFreeAndInOrderWhenBothReplicasApplyThem() throws Exception {
    UUID job = replicaA.lifecycle.submit(request(8, RenderMode.INDEPENDENT, 0)).id();
    List<ChunkRow> chunks = replicaA.chunks(job);
    List<Callable<Void>> renders = new ArrayList<>();
    for (ChunkRow chunk : chunks) {
      // The consumer group shares the partitions out: each chunk's events reach one replica.
      OrchestratorFixture replica = chunk.index() % 2 == 0 ? replicaA : replicaB;
      String worker = "w" + chunk.index();
      renders.add(
          () -> {
            replica.render(chunk, worker);
            return null;
          });
    }
    for (Future<Void> done : pool.invokeAll(renders)) done.get();

    List<EventRow> events = replicaB.inTransaction(c -> replicaB.events.forJob(c, job, 0, 1000));
    assertThat(events)
        .extracting(EventRow::seq)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(events).extracting(EventRow::type).first().isEqualTo("queued");
    assertThat(events).extracting(EventRow::type).last().isEqualTo("encoding");
    assertThat(events.stream().filter(e -> e.type().equals("chunk-completed")))
        .hasSize(chunks.size());
    assertThat(replicaA.job(job).status()).isEqualTo(JobStatus.ENCODING);
  }

  @Test
  void twoDispatchersAtOnceKeepTheInFlightBoundAndSendEachChunkOnce() throws Exception {
    for (int i = 0; i < 3; i++) replicaA.lifecycle.submit(request(4, RenderMode.INDEPENDENT, 0));
    for (int w = 0; w < 6; w++) replicaA.heartbeat("w" + w, List.of(w));

    for (int round = 0; round < 5; round++) {
      CyclicBarrier together = new CyclicBarrier(2);
      Callable<Integer> a = () -> dispatchTogether(together, replicaA);
      Callable<Integer> b = () -> dispatchTogether(together, replicaB);
      for (Future<Integer> f : pool.invokeAll(List.of(a, b))) f.get();
      assertThat(replicaA.inTransaction(replicaA.repo::countInFlight))
          .isLessThanOrEqualTo(MAX_IN_FLIGHT);
    }

    List<OutboxRow> tasks = replicaA.outbox(Topics.CHUNK_TASKS);
    assertThat(tasks).hasSize(MAX_IN_FLIGHT);
    assertThat(tasks).extracting(OutboxRow::key).doesNotHaveDuplicates();
    assertThat(tasks)
        .extracting(OutboxRow::partition)
        .as("one chunk per idle worker")
        .doesNotHaveDuplicates();
  }

  private static int dispatchTogether(CyclicBarrier together, OrchestratorFixture replica)
      throws Exception {
    together.await();
    return replica.dispatcher.dispatchReady();
  }
}
