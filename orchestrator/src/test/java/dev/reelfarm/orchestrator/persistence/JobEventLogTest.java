package dev.reelfarm.orchestrator.persistence;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.JobEventLog.EventRow;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.RenderEvent;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithPostgres
class JobEventLogTest {
  private final TestDatabase database;
  private final OrchestratorFixture farm;

  JobEventLogTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private UUID job() {
    return farm.lifecycle
        .submit(request(2, RenderMode.INDEPENDENT, 0))
        .id(); // appends "queued" as seq 1
  }

  private void append(UUID job, String reason) {
    farm.inTransaction(
        c -> {
          farm.events.append(c, job, (seq, at) -> new RenderEvent.Failed(job, seq, at, reason));
          return null;
        });
  }

  private List<EventRow> events(UUID job, int after) {
    return farm.inTransaction(c -> farm.events.forJob(c, job, after, 1000));
  }

  @Test
  void concurrentAppendsToOneJobAreNumberedWithoutGapsOrRepeats() throws Exception {
    UUID job = job();
    int writers = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> IntStream.range(0, each).forEach(i -> append(job, writer + "/" + i))));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }

    List<EventRow> rows = events(job, 0);
    assertThat(rows)
        .extracting(EventRow::seq)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 1 + writers * each).boxed().toList());
  }

  @Test
  void aStoredPayloadCarriesItsOwnSequenceNumberAndType() throws Exception {
    UUID job = job();
    append(job, "because");

    EventRow row = events(job, 1).get(0);
    RenderEvent event = ApiJson.mapper().readValue(row.payload(), RenderEvent.class);
    assertThat(event).isInstanceOf(RenderEvent.Failed.class);
    assertThat(event.seq()).isEqualTo(row.seq()).isEqualTo(2);
    assertThat(event.jobId()).isEqualTo(job);
    assertThat(row.type()).isEqualTo("failed");
    assertThat(((RenderEvent.Failed) event).reason()).isEqualTo("because");
  }

  @Test
  void aReaderResumesAfterTheLastSequenceItSaw() {
    UUID job = job();
    append(job, "a");
    append(job, "b");

    assertThat(events(job, 2)).extracting(EventRow::seq).containsExactly(3);
    assertThat(events(job, 3)).isEmpty();
  }

  @Test
  void theFarmStreamInterleavesJobsByGlobalId() {
    UUID first = job();
    UUID second = job();
    append(first, "x");
    long start = farm.inTransaction(c -> farm.events.farmWide(c, null, 0, 1000)).get(0).id() - 1;

    List<EventRow> all = farm.inTransaction(c -> farm.events.farmWide(c, null, start, 1000));
    assertThat(all).extracting(EventRow::jobId).containsExactly(first, second, first);
    assertThat(all).extracting(EventRow::id).isSorted();
    assertThat(farm.inTransaction(farm.events::lastId)).isEqualTo(all.get(2).id());
  }

  @Test
  void anEventForAJobThatDoesNotExistIsNotStored() {
    UUID ghost = UUID.randomUUID();
    append(ghost, "nobody");

    assertThat(events(ghost, 0)).isEmpty();
  }
}
