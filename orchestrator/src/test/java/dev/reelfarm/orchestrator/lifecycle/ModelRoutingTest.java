package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.MODEL;
import static dev.reelfarm.orchestrator.OrchestratorFixture.OTHER_MODEL;
import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.OrchestratorFixture.OutboxRow;
import dev.reelfarm.orchestrator.models.ModelCatalog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.ModelRepository;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.ModelView;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.bundle.BundleFacts;
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
 * A farm with two models on a real PostgreSQL: workers' heartbeats teach the catalog the bundles,
 * each job is planned with its model's facts and pinned to its bundle, and the dispatcher sends its
 * chunks only to workers that have that bundle loaded.
 */
@WithPostgres
class ModelRoutingTest {
  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final ModelCatalog catalog;

  ModelRoutingTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 8, 3);
    this.catalog = new ModelCatalog(MODEL, farm.db, new ModelRepository(), 10);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  @Test
  void eachJobsChunksRenderOnlyOnWorkersThatHaveItsModelLoaded() {
    farm.heartbeat("w-shapes", List.of(0, 1), MODEL);
    farm.heartbeat("w-fixture", List.of(2, 3), OTHER_MODEL);
    UUID shapes = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0, MODEL)).id();
    UUID fixture = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0, OTHER_MODEL)).id();

    int rounds = 0;
    while (!done(shapes) || !done(fixture)) {
      assertThat(rounds++).as("rounds").isLessThan(10);
      assertThat(farm.dispatcher.dispatchReady()).as("round %d", rounds).isPositive();
      for (UUID job : List.of(shapes, fixture))
        for (ChunkRow c : farm.chunks(job))
          if (c.status() == ChunkStatus.DISPATCHED) {
            String worker = targetOf(c);
            farm.complete(c, farm.start(c, worker), worker);
          }
    }

    assertThat(farm.chunks(shapes))
        .as("2 s at 8 fps in chunks of 8")
        .hasSize(2)
        .extracting(c -> c.run().workerId())
        .containsOnly("w-shapes");
    assertThat(farm.chunks(fixture))
        .as("2 s at 8 fps in the fixture's chunks of 6")
        .hasSize(3)
        .extracting(c -> c.run().workerId())
        .containsOnly("w-fixture");
    List<ChunkTask> tasks =
        farm.outbox(Topics.CHUNK_TASKS).stream()
            .map(OutboxRow::payload)
            .map(p -> MessageCodec.fromJson(p, ChunkTask.class))
            .toList();
    assertThat(tasks).hasSize(5);
    assertThat(tasks)
        .allSatisfy(
            t ->
                assertThat(t.model())
                    .isEqualTo(t.jobId().equals(shapes) ? MODEL.ref() : OTHER_MODEL.ref()));
  }

  @Test
  void aJobIsPlannedWithItsModelsFactsAndPinnedToItsBundle() {
    JobRow job = farm.lifecycle.submit(request(3, null, 0, OTHER_MODEL));

    JobRow stored = farm.job(job.id());
    assertThat(stored.spec().modelName()).isEqualTo("tiny-random-bfchw");
    assertThat(stored.spec().modelVersion()).isEqualTo("1");
    assertThat(stored.spec().modelChecksum()).isEqualTo(OTHER_MODEL.checksum());
    assertThat(stored.spec().nativeWidth()).isEqualTo(48);
    assertThat(stored.spec().nativeHeight()).isEqualTo(80);
    assertThat(farm.chunks(job.id()))
        .allSatisfy(c -> assertThat(c.plan().frames().size()).isEqualTo(6));
  }

  @Test
  void aKnownModelWithNoLiveWorkerQueuesAndItsJobSaysWhy() {
    farm.heartbeat("w-shapes", List.of(0, 1), MODEL);
    UUID job = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0, OTHER_MODEL)).id();

    assertThat(farm.dispatcher.dispatchReady()).isZero();
    farm.sweeper.updateWaitingReasons();

    JobRow waiting = farm.job(job);
    assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(waiting.state().waitingReason())
        .startsWith("no live worker has model tiny-random-bfchw (")
        .contains("live workers have [tiny-shapes (");

    farm.heartbeat("w-fixture", List.of(2), OTHER_MODEL);
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    assertThat(targetOf(farm.chunk(job, 0))).isEqualTo("w-fixture");
  }

  @Test
  void aWorkerWithOtherFilesUnderTheSameNameGetsNoneOfTheJobsChunks() {
    BundleFacts retrained =
        new BundleFacts(
            MODEL.name(), "step99", "sha256:" + "0".repeat(64), 64, 112, 8, 8, 1, 25, 3.0, false);
    UUID job = farm.lifecycle.submit(request(2, RenderMode.INDEPENDENT, 0, MODEL)).id();
    farm.heartbeat("w-retrained", List.of(0), retrained);

    assertThat(farm.dispatcher.dispatchReady()).isZero();
    farm.sweeper.updateWaitingReasons();
    assertThat(farm.job(job).state().waitingReason()).startsWith("no live worker has model");
  }

  @Test
  void theCatalogListsTheDefaultFirstAndTheReportedModelsWithTheirLiveWorkers() {
    assertThat(catalog.views())
        .as("before any worker reported: the configured default")
        .extracting(ModelView::name, ModelView::isDefault, ModelView::liveWorkers)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tiny-shapes", true, 0));

    farm.heartbeat("w-fixture", List.of(2), OTHER_MODEL);
    farm.heartbeat("w-fixture-2", List.of(3), OTHER_MODEL);

    List<ModelView> views = catalog.views();
    assertThat(views)
        .extracting(ModelView::name, ModelView::isDefault, ModelView::liveWorkers)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tiny-shapes", true, 0),
            org.assertj.core.groups.Tuple.tuple("tiny-random-bfchw", false, 2));
    ModelView fixture = views.get(1);
    assertThat(fixture.checksum()).isEqualTo(OTHER_MODEL.checksum());
    assertThat(fixture.framesPerChunk()).isEqualTo(6);
    assertThat(fixture.testFixture()).isTrue();
    assertThat(catalog.find("tiny-random-bfchw")).contains(OTHER_MODEL);
    assertThat(catalog.find("wan-14b")).isEmpty();
    assertThat(catalog.defaultModel()).isEqualTo(MODEL);
  }

  private boolean done(UUID job) {
    return farm.chunks(job).stream().allMatch(c -> c.status() == ChunkStatus.DONE);
  }

  private String targetOf(ChunkRow chunk) {
    return farm.inTransaction(
        c -> {
          try (var s = c.prepareStatement("SELECT target_worker FROM chunk WHERE id = ?")) {
            s.setLong(1, chunk.id());
            try (var r = s.executeQuery()) {
              r.next();
              return r.getString(1);
            }
          }
        });
  }
}
