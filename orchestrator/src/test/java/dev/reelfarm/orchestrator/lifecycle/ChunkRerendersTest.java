package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static dev.reelfarm.orchestrator.persistence.TeamRepository.DEFAULT_TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.persistence.VideoVersions;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.orchestrator.submission.UnprocessableRequestException;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RerenderAccepted;
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
 * A chunk re-render on a real PostgreSQL: SUCCEEDED → RUNNING (a rerender event) → the chunk goes
 * out with its own seed and its neighbours' frames as context → ENCODING into the next version's
 * folder → SUCCEEDED with both versions listed; a stale report of the earlier encode is dropped;
 * and the refusals (job not SUCCEEDED, unknown chunk, anchor chunk, intermediates removed).
 */
@WithPostgres
class ChunkRerendersTest {
  private static final AuditLog.Actor ACTOR = new AuditLog.Actor(null, DEFAULT_TEAM);

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final VideoVersions versions = new VideoVersions();
  private final ChunkRerenders rerenders;

  ChunkRerendersTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
    var submissions = farm.submissions();
    this.rerenders =
        new ChunkRerenders(
            farm.db,
            farm.repo,
            new QueueControlRepository(),
            farm.events,
            submissions,
            new AuditLog(),
            ApiJson.mapper());
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private RerenderAccepted rerender(UUID job, int index, long seed) {
    return accepted(rerenders.rerender(DEFAULT_TEAM, job, index, seed, ACTOR, null, "{}"));
  }

  private static RerenderAccepted accepted(RenderSubmissions.Submitted submitted) {
    try {
      return ApiJson.mapper().readValue(submitted.body(), RerenderAccepted.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A SUCCEEDED job of {@code seconds} in {@code mode}: every chunk rendered, version 1 encoded.
   */
  private UUID succeeded(double seconds, RenderMode mode) {
    UUID job = farm.lifecycle.submit(request(seconds, mode, 0)).id();
    while (farm.job(job).status() != JobStatus.ENCODING) {
      for (ChunkRow chunk : farm.chunks(job))
        if (chunk.status() == ChunkStatus.READY) farm.render(chunk, "w1");
    }
    encoded(job, 1);
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    return job;
  }

  private void encoded(UUID job, int version) {
    String dir = "file:///artifacts/jobs/" + job + "/output" + (version == 1 ? "" : "/v" + version);
    farm.lifecycle.onJobEvent(
        new JobEvent.Encoded(
            1, job, dir + "/tiktok.mp4", dir + "/poster.jpg", 100L * version, 3.0, 90, 10, 0));
  }

  private List<VideoVersions.Row> versions(UUID job) {
    return farm.inTransaction(c -> versions.list(c, job));
  }

  private ChunkTask lastChunkTask() {
    var tasks = farm.outbox(Topics.CHUNK_TASKS);
    return MessageCodec.fromJson(tasks.get(tasks.size() - 1).payload(), ChunkTask.class);
  }

  private EncodeTask lastEncodeTask() {
    var tasks = farm.outbox(Topics.ENCODE_TASKS);
    return MessageCodec.fromJson(tasks.get(tasks.size() - 1).payload(), EncodeTask.class);
  }

  @Test
  void aMiddleInfillIsReRenderedWithItsSeedBetweenItsKeyframesIntoVersionTwo() {
    UUID job = succeeded(3, RenderMode.ANCHORED); // anchor 0, infills 1-4 (owned 0-7-14-21-24)
    ChunkRow infill = farm.chunk(job, 2);
    ChunkRow anchor = farm.chunk(job, 0);

    var accepted = rerender(job, 2, 424242);

    assertThat(accepted.version()).isEqualTo(2);
    assertThat(accepted.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(farm.chunks(job))
        .extracting(ChunkRow::status)
        .containsExactly(
            ChunkStatus.DONE,
            ChunkStatus.DONE,
            ChunkStatus.READY,
            ChunkStatus.DONE,
            ChunkStatus.DONE);
    assertThat(farm.eventTypes(job)).endsWith("succeeded", "rerender");
    assertThat(farm.job(job).result().videoUri())
        .as("version 1 stays the video while version 2 renders")
        .endsWith("/output/tiktok.mp4");

    farm.heartbeat("w1", List.of(0));
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);
    ChunkTask task = lastChunkTask();
    assertThat(task.chunkIndex()).isEqualTo(2);
    assertThat(task.chunkSeed()).isEqualTo(424242L);
    assertThat(task.seed()).as("the job's seed still seeds the context frames").isEqualTo(7);
    assertThat(task.context())
        .as("conditioned on both keyframes, from the anchor, as before")
        .containsExactly(
            new ChunkTask.ContextFrame(7, anchor.result().latentsUri(), 1),
            new ChunkTask.ContextFrame(14, anchor.result().latentsUri(), 2));

    ChunkRow dispatched = farm.chunk(job, 2);
    UUID run = farm.start(dispatched, "w1");
    farm.complete(dispatched, run, "w1");

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.ENCODING);
    EncodeTask encode = lastEncodeTask();
    assertThat(encode.complete()).isTrue();
    assertThat(encode.artifactPrefix()).isEqualTo("jobs/" + job + "/output/v2");
    assertThat(encode.chunks())
        .filteredOn(c -> c.chunkIndex() == 2)
        .singleElement()
        .satisfies(c -> assertThat(c.framesUri()).contains("run-" + run));
    assertThat(encode.chunks())
        .filteredOn(c -> c.chunkIndex() == 3)
        .singleElement()
        .satisfies(
            c -> assertThat(c.framesUri()).isEqualTo(farm.chunk(job, 3).result().framesUri()));
    assertThat(infill.result().framesUri()).doesNotContain("run-" + run);

    encoded(job, 1); // a late copy of version 1's report: another version, dropped
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.ENCODING);
    encoded(job, 2);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(farm.job(job).result().videoUri()).endsWith("/output/v2/tiktok.mp4");
    assertThat(farm.job(job).result().version()).isEqualTo(2);
    var listed = versions(job);
    assertThat(listed).extracting(VideoVersions.Row::version).containsExactly(1, 2);
    assertThat(listed.get(0).videoUri()).endsWith("/output/tiktok.mp4");
    assertThat(listed.get(1).videoUri()).endsWith("/output/v2/tiktok.mp4");
    assertThat(listed.get(1).chunk()).isEqualTo(2);
    assertThat(listed.get(1).chunkSeed()).isEqualTo(424242L);
    assertThat(farm.eventTypes(job))
        .endsWith("rerender", "chunk-started", "chunk-completed", "encoding", "succeeded");
  }

  @Test
  void aSequentialChunkKeepsTheFramesItsSuccessorWasConditionedOn() {
    UUID job = succeeded(3, RenderMode.SEQUENTIAL); // windows of 8 every 6 frames, 2 of context
    ChunkRow middle = farm.chunk(job, 1);
    ChunkRow first = farm.chunk(job, 0);

    rerender(job, 1, 5);
    farm.heartbeat("w1", List.of(0));
    farm.dispatcher.dispatchReady();

    ChunkTask task = lastChunkTask();
    assertThat(task.frames()).containsExactly(6, 7, 8, 9, 10, 11, 12, 13);
    assertThat(task.context())
        .containsExactly(
            new ChunkTask.ContextFrame(6, first.result().latentsUri(), 6),
            new ChunkTask.ContextFrame(7, first.result().latentsUri(), 7),
            new ChunkTask.ContextFrame(12, middle.result().latentsUri(), 6),
            new ChunkTask.ContextFrame(13, middle.result().latentsUri(), 7));
  }

  @Test
  void onlyASucceededJobsChunksCanBeReRendered() {
    UUID job = farm.lifecycle.submit(request(3, RenderMode.ANCHORED, 0)).id();

    assertThatThrownBy(() -> rerender(job, 2, 1))
        .isInstanceOfSatisfying(
            RefusedRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.field()).isEqualTo("status");
              assertThat(e.getMessage()).contains("QUEUED");
            });

    UUID done = succeeded(3, RenderMode.ANCHORED);
    rerender(done, 2, 1);
    assertThatThrownBy(() -> rerender(done, 3, 1))
        .as("one re-render at a time: the job is RUNNING")
        .isInstanceOfSatisfying(
            RefusedRequestException.class, e -> assertThat(e.status()).isEqualTo(409));
  }

  @Test
  void anUnknownChunkIs404NamingTheIndexAndAnAnchorIsRefused() {
    UUID job = succeeded(3, RenderMode.ANCHORED);

    assertThatThrownBy(() -> rerender(job, 5, 1))
        .isInstanceOfSatisfying(
            RefusedRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.field()).isEqualTo("index");
              assertThat(e.getMessage()).contains("0..4");
            });
    assertThatThrownBy(() -> rerender(job, 0, 1))
        .isInstanceOfSatisfying(
            RefusedRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.field()).isEqualTo("index");
              assertThat(e.getMessage()).contains("anchor");
            });
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(versions(job)).hasSize(1);
  }

  @Test
  void aJobWhoseIntermediatesWereRemovedCannotBeReRendered() {
    UUID job = succeeded(3, RenderMode.ANCHORED);
    farm.sql("UPDATE render_job SET intermediates_removed_at = now() WHERE id = '" + job + "'");

    assertThatThrownBy(() -> rerender(job, 2, 1))
        .isInstanceOfSatisfying(
            RefusedRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).contains("retention");
            });
    assertThat(farm.job(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(farm.chunk(job, 2).status()).isEqualTo(ChunkStatus.DONE);
  }

  @Test
  void aCancelledReRenderKeepsTheVersionsDeliveredBefore() {
    UUID job = succeeded(3, RenderMode.ANCHORED);
    rerender(job, 3, 9);

    farm.lifecycle.cancel(job);

    assertThat(farm.job(job).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(farm.job(job).result().videoUri()).endsWith("/output/tiktok.mp4");
    var listed = versions(job);
    assertThat(listed).hasSize(2);
    assertThat(listed.get(1).videoUri()).isNull();
  }

  @Test
  void aReusedIdempotencyKeyAnswersTheFirstReRenderAndAnotherBodyIsRefused() {
    UUID job = succeeded(3, RenderMode.ANCHORED);
    String body = "{\"rerender\":\"" + job + "\",\"chunk\":2,\"body\":{}}";

    var first = rerenders.rerender(DEFAULT_TEAM, job, 2, 11, ACTOR, "retry-me", body);
    var again = rerenders.rerender(DEFAULT_TEAM, job, 2, 22, ACTOR, "retry-me", body);

    assertThat(again.replayed()).isTrue();
    assertThat(accepted(again)).isEqualTo(accepted(first));
    assertThat(accepted(again).seed()).as("the first request's seed").isEqualTo("11");
    assertThat(farm.eventTypes(job).stream().filter("rerender"::equals)).hasSize(1);
    assertThatThrownBy(
            () ->
                rerenders.rerender(
                    DEFAULT_TEAM, job, 3, 33, ACTOR, "retry-me", body.replace(":2,", ":3,")))
        .isInstanceOf(UnprocessableRequestException.class)
        .hasMessageContaining("Idempotency-Key");
  }
}
