package dev.reelfarm.orchestrator.metrics;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the state machine and the dispatcher record, and the farm's gauges, on a real PostgreSQL:
 * waits and times come from the rows' own timestamps (aged here by SQL).
 */
@WithPostgres
class RenderMetricsTest {
  private final TestDatabase database;
  private final OrchestratorFixture farm;

  RenderMetricsTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 8, 3);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private Timer timer(String name) {
    return farm.registry.get(name).timer();
  }

  private static double seconds(Timer t) {
    return t.totalTime(TimeUnit.MILLISECONDS) / 1000.0;
  }

  @Test
  void aChunkReadySinceSubmissionWaitsFromTheJobsSubmissionAndEveryPassIsTimed() {
    UUID job = farm.lifecycle.submit(request(1, RenderMode.INDEPENDENT, 0)).id();
    farm.sql(
        "UPDATE render_job SET created_at = now() - interval '30 seconds' WHERE id = '"
            + job
            + "'");
    farm.heartbeat("w1", List.of(0));
    farm.dispatcher.dispatchReady();
    farm.dispatcher.dispatchReady(); // nothing left to send

    Timer wait = timer("reelfarm.chunk.queue.wait");
    assertThat(wait.count()).isEqualTo(1);
    assertThat(seconds(wait)).isBetween(29.0, 60.0);
    assertThat(timer("reelfarm.dispatch.latency").count()).isEqualTo(2);
  }

  @Test
  void aChunkThatWaitedForADependencyWaitsFromTheDependencyFinishing() {
    UUID job = farm.lifecycle.submit(request(2, RenderMode.SEQUENTIAL, 0)).id();
    farm.heartbeat("w1", List.of(0));
    farm.render(farm.chunk(job, 0), "w1");
    farm.sql(
        "UPDATE render_job SET created_at = now() - interval '100 seconds' WHERE id = '"
            + job
            + "'");
    farm.sql(
        "UPDATE chunk SET finished_at = now() - interval '10 seconds' WHERE chunk_index = 0 AND job_id = '"
            + job
            + "'");

    farm.dispatcher.dispatchReady();

    Timer wait = timer("reelfarm.chunk.queue.wait");
    assertThat(wait.count()).as("chunk 1 only: chunk 0 went out by the fixture").isEqualTo(1);
    assertThat(seconds(wait)).isBetween(9.0, 40.0);
  }

  @Test
  void aDoneChunkRecordsItsRunTimeAndMeanStepOnceAndASupersededResultNothing() {
    UUID job = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0)).id();
    ChunkRow chunk = farm.chunk(job, 0);
    farm.dispatch(chunk);
    UUID run = farm.start(chunk, "w1");
    farm.sql("UPDATE chunk SET started_at = now() - interval '5 seconds' WHERE id = " + chunk.id());

    farm.complete(chunk, run, "w1");
    farm.complete(chunk, run, "w1"); // a redelivered result: dropped

    Timer render = timer("reelfarm.chunk.render");
    assertThat(render.count()).isEqualTo(1);
    assertThat(seconds(render)).isBetween(4.9, 30.0);
    assertThat(timer("reelfarm.chunk.step").count()).isEqualTo(1);
  }

  @Test
  void aJobCountsAsSucceededOnceWithItsEncodeTime() {
    UUID job = farm.lifecycle.submit(request(1, RenderMode.INDEPENDENT, 0)).id();
    farm.render(farm.chunk(job, 0), "w1");
    var encoded =
        new JobEvent.Encoded(1, job, "file:///v.mp4", "file:///p.jpg", 10, 1, 30, 1500, 0);

    farm.lifecycle.onJobEvent(encoded);
    farm.lifecycle.onJobEvent(encoded); // redelivered: the job is SUCCEEDED already

    assertThat(farm.registry.get("reelfarm.jobs.succeeded").counter().count()).isEqualTo(1);
    Timer encode = timer("reelfarm.job.encode");
    assertThat(encode.count()).isEqualTo(1);
    assertThat(encode.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
  }

  @Test
  void theGaugesCountJobsChunksOutboxWorkersAndHeartbeatAgesAtTheLatestRefresh() {
    FarmGauges gauges = new FarmGauges(farm.db, farm.metricQueries, farm.registry, 30);
    UUID job = farm.lifecycle.submit(request(4, RenderMode.INDEPENDENT, 0)).id();
    farm.heartbeat("w1", List.of(0));
    farm.heartbeat("w2", List.of(1));
    farm.heartbeat("gone", List.of(2));
    farm.sql(
        "UPDATE worker SET last_heartbeat_at = now() - interval '5 minutes' WHERE id = 'gone'");
    farm.sql("UPDATE worker SET last_heartbeat_at = now() - interval '3 seconds' WHERE id = 'w2'");
    farm.dispatcher.dispatchReady();
    farm.heartbeat("w1", List.of(0), farm.chunk(job, 0));
    assertThat(gauge("reelfarm.chunks", "state", "READY")).as("before a refresh").isZero();

    gauges.refresh();

    assertThat(gauge("reelfarm.jobs", "state", "QUEUED")).isEqualTo(1);
    assertThat(gauge("reelfarm.jobs", "state", "SUCCEEDED")).isZero();
    assertThat(gauge("reelfarm.chunks", "state", "READY")).isEqualTo(2);
    assertThat(gauge("reelfarm.chunks", "state", "DISPATCHED")).isEqualTo(2);
    assertThat(farm.registry.get("reelfarm.outbox.backlog").gauge().value())
        .as("two chunk tasks not relayed")
        .isEqualTo(2);
    assertThat(farm.registry.get("reelfarm.dead.letters").gauge().value()).isZero();
    assertThat(gauge("reelfarm.workers", "state", "busy")).isEqualTo(1);
    assertThat(gauge("reelfarm.workers", "state", "idle")).isEqualTo(1);
    assertThat(gauge("reelfarm.workers", "state", "lost")).isEqualTo(1);
    assertThat(gauge("reelfarm.worker.heartbeat.age", "worker", "w2")).isBetween(3.0, 30.0);
    assertThat(farm.registry.find("reelfarm.worker.heartbeat.age").tag("worker", "gone").gauge())
        .as("a lost worker has no heartbeat age")
        .isNull();
  }

  private double gauge(String name, String tag, String value) {
    return farm.registry.get(name).tag(tag, value).gauge().value();
  }
}
