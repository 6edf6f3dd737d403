package dev.reelfarm.orchestrator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.BatchRow;
import dev.reelfarm.orchestrator.persistence.BatchViews;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.submission.BatchRequestParser;
import dev.reelfarm.orchestrator.submission.QuotaExceededException;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.BatchStatus;
import dev.reelfarm.schema.api.BatchView;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.SequenceStatus;
import dev.reelfarm.schema.api.TeamRequest;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.SequenceEvent;
import dev.reelfarm.schema.messages.SequenceTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches on real PostgreSQL through the state machine: one job per shot in one transaction under
 * the team's quotas and Idempotency-Key, the status aggregated as shots finish, the sequence task
 * enqueued once when every shot succeeded, the final status and its batch.completed deliveries
 * written once, a cancel.
 */
@WithPostgres
class BatchProgressTest {
  private static final String THREE_SHOTS =
      "{\"defaults\":{\"durationSeconds\":1,\"steps\":2},\"shots\":[{\"prompt\":\"a\",\"seed\":1},"
          + "{\"prompt\":\"b\",\"seed\":2},{\"prompt\":\"c\",\"seed\":3}]";
  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final ObjectMapper mapper = ApiJson.mapper();
  private final BatchRequestParser parser =
      new BatchRequestParser(
          mapper,
          new RenderRequestParser(mapper, OrchestratorFixture.MODELS, () -> 7),
          20,
          () -> 8);
  private final BatchRequests requests;

  BatchProgressTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
    var submissions = farm.submissions();
    this.requests =
        new BatchRequests(
            farm.db,
            submissions,
            farm.lifecycle,
            farm.batches,
            farm.batchProgress,
            new AuditLog(),
            mapper);
  }

  @BeforeEach
  void empty() throws Exception {
    database.truncateAll();
  }

  private UUID submit(UUID team, String key, String body) {
    return requests
        .submit(team, new AuditLog.Actor(null, team), key, body, parser.parse(body))
        .id();
  }

  private UUID submit(String body) {
    return submit(TeamRepository.DEFAULT_TEAM, null, body);
  }

  private BatchView view(UUID batch) {
    return farm.inTransaction(
        c ->
            BatchViews.of(
                farm.batches.find(c, batch, false).orElseThrow(), farm.batches.shots(c, batch)));
  }

  private List<BatchRow> batchesOf(UUID team) {
    return farm.inTransaction(c -> farm.batches.list(c, team, null, 10));
  }

  private List<JobRow> jobsOf(UUID team) {
    return farm.inTransaction(c -> farm.repo.listJobs(c, team, null, null, 10));
  }

  private List<JobRow> shots(UUID batch) {
    return farm.inTransaction(c -> farm.batches.shots(c, batch));
  }

  /** Renders every chunk of the job and reports its video, as the workers and encoder would. */
  private void succeed(JobRow job) {
    while (farm.chunks(job.id()).stream().anyMatch(c -> c.status() != ChunkStatus.DONE))
      for (var chunk : farm.chunks(job.id()))
        if (chunk.status() == ChunkStatus.READY) farm.render(chunk, "w1");
    farm.lifecycle.onJobEvent(
        new JobEvent.Encoded(1, job.id(), "file:///v.mp4", "file:///p.jpg", 10, 1.0, 30, 5, 0));
  }

  private void fail(JobRow job) {
    farm.inTransaction(
        c -> {
          farm.failures.failJob(c, job.id(), "poison");
          return null;
        });
  }

  private long deliveries(UUID batch) {
    return farm.inTransaction(
        c -> {
          try (var s =
              c.prepareStatement(
                  "SELECT count(*) FROM webhook_delivery WHERE batch_id = ? AND event_type = 'batch.completed'")) {
            s.setObject(1, batch);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getLong(1);
            }
          }
        });
  }

  private void teamEndpointFor(UUID team) {
    farm.sql(
        "INSERT INTO webhook_endpoint (id, team_id, url, secret, events) VALUES ('"
            + UUID.randomUUID()
            + "', '"
            + team
            + "', 'http://127.0.0.1:9/hook', 'whsec_x', ARRAY['batch.completed'])");
  }

  @Test
  void aBatchStoresOneJobPerShotInShotOrderAndIsQueued() {
    UUID batch = submit(THREE_SHOTS + "}");

    BatchView v = view(batch);
    assertThat(v.status()).isEqualTo(BatchStatus.QUEUED);
    assertThat(v.shots()).extracting(BatchView.Shot::prompt).containsExactly("a", "b", "c");
    assertThat(v.shots()).extracting(BatchView.Shot::seed).containsExactly("1", "2", "3");
    assertThat(v.counts()).containsEntry(JobStatus.QUEUED, 3);
    assertThat(farm.outbox(Topics.CHUNK_TASKS)).isEmpty(); // the dispatcher sends them
  }

  @Test
  void clipsSucceedWhenTheLastShotDoesAndBatchCompletedIsWrittenOnce() {
    teamEndpointFor(TeamRepository.DEFAULT_TEAM);
    UUID batch = submit(THREE_SHOTS + "}");
    List<JobRow> jobs = shots(batch);

    succeed(jobs.get(0));
    assertThat(view(batch).status()).isEqualTo(BatchStatus.RUNNING);
    succeed(jobs.get(1));
    assertThat(deliveries(batch)).isZero();
    succeed(jobs.get(2));

    BatchView v = view(batch);
    assertThat(v.status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(v.finishedAt()).isNotNull();
    assertThat(v.sequence()).isNull();
    assertThat(deliveries(batch)).isEqualTo(1);
    farm.inTransaction(
        c -> {
          farm.batchProgress.evaluate(c, batch); // a repeat changes nothing
          return null;
        });
    assertThat(deliveries(batch)).isEqualTo(1);
    assertThat(farm.outbox(Topics.SEQUENCE_TASKS)).isEmpty();
  }

  @Test
  void aFailedShotMakesThePartialOrFailedBatch() {
    UUID partial = submit(THREE_SHOTS + "}");
    List<JobRow> jobs = shots(partial);
    succeed(jobs.get(0));
    fail(jobs.get(1));
    assertThat(view(partial).status()).isEqualTo(BatchStatus.RUNNING);
    succeed(jobs.get(2));
    assertThat(view(partial).status()).isEqualTo(BatchStatus.PARTIAL);

    UUID failed = submit(THREE_SHOTS + ",\"deliver\":\"sequence\"}");
    for (JobRow job : shots(failed)) fail(job);
    assertThat(view(failed).status()).isEqualTo(BatchStatus.FAILED);
    assertThat(farm.outbox(Topics.SEQUENCE_TASKS)).isEmpty();
  }

  @Test
  void aSequenceIsEnqueuedOnceWithEveryShotsEncodeTaskAndSucceedsWithItsVideo() throws Exception {
    UUID batch = submit(THREE_SHOTS + ",\"deliver\":\"sequence\",\"transition\":\"dissolve\"}");
    List<JobRow> jobs = shots(batch);
    for (JobRow job : jobs) succeed(job);

    assertThat(view(batch).status()).isEqualTo(BatchStatus.ENCODING);
    var tasks = farm.outbox(Topics.SEQUENCE_TASKS);
    assertThat(tasks).hasSize(1);
    SequenceTask task = Topics.SEQUENCE_TASKS.fromJson(tasks.get(0).payload());
    assertThat(task.batchId()).isEqualTo(batch);
    assertThat(task.transition()).isEqualTo("dissolve");
    assertThat(task.transitionFrames()).isEqualTo(15); // 0.5 s at tiktok's 30 fps
    assertThat(task.artifactPrefix()).isEqualTo("batches/" + batch + "/output");
    assertThat(task.shots())
        .extracting(t -> t.jobId())
        .containsExactlyElementsOf(jobs.stream().map(JobRow::id).toList());
    assertThat(task.shots()).allMatch(t -> t.complete());

    var encoded =
        new SequenceEvent.Encoded(
            1, batch, "file:///s.mp4", 99, 2.0, 60, List.of(0, 15, 30), 15, 7, 0);
    farm.batchProgress.onSequenceEvent(encoded);
    farm.batchProgress.onSequenceEvent(encoded); // a redelivery
    farm.batchProgress.onSequenceEvent(new SequenceEvent.Failed(1, batch, "late", 0));

    BatchView v = view(batch);
    assertThat(v.status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(v.sequence().status()).isEqualTo(SequenceStatus.SUCCEEDED);
    assertThat(v.sequence().shotStartFrames()).containsExactly(0, 15, 30);
    assertThat(v.sequence().frames()).isEqualTo(60);
    assertThat(v.sequence().videoUrl()).isEqualTo("/api/v1/batches/" + batch + "/video");
    assertThat(v.sequence().error()).isNull();
  }

  @Test
  void aReRenderedShotOfAFinishedSequenceEncodesTheSequenceAnewWithItsNewFrames() {
    UUID batch = submit(THREE_SHOTS + ",\"deliver\":\"sequence\"}");
    List<JobRow> jobs = shots(batch);
    for (JobRow job : jobs) succeed(job);
    farm.batchProgress.onSequenceEvent(
        new SequenceEvent.Encoded(
            1, batch, "file:///s.mp4", 99, 3.0, 90, List.of(0, 30, 60), 0, 7, 0));
    assertThat(view(batch).status()).isEqualTo(BatchStatus.SUCCEEDED);
    var rerenders =
        new ChunkRerenders(
            farm.db,
            farm.repo,
            new QueueControlRepository(),
            farm.events,
            farm.submissions(),
            new AuditLog(),
            ApiJson.mapper());
    UUID shot = jobs.get(1).id();

    rerenders.rerender(
        TeamRepository.DEFAULT_TEAM,
        shot,
        0,
        424242L,
        new AuditLog.Actor(null, TeamRepository.DEFAULT_TEAM),
        null,
        "{}");
    assertThat(view(batch).status())
        .as("the batch stays SUCCEEDED with its video while the shot renders again")
        .isEqualTo(BatchStatus.SUCCEEDED);
    ChunkRow chunk = farm.chunk(shot, 0);
    farm.heartbeat("w1", List.of(0));
    farm.dispatcher.dispatchReady();
    UUID run = farm.start(farm.chunk(shot, 0), "w1");
    farm.complete(farm.chunk(shot, 0), run, "w1");
    String v2 = "file:///artifacts/jobs/" + shot + "/output/v2";
    farm.lifecycle.onJobEvent(
        new JobEvent.Encoded(1, shot, v2 + "/tiktok.mp4", v2 + "/poster.jpg", 10, 1.0, 30, 5, 0));

    assertThat(farm.job(shot).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(view(batch).status()).isEqualTo(BatchStatus.ENCODING);
    var tasks = farm.outbox(Topics.SEQUENCE_TASKS);
    assertThat(tasks).hasSize(2);
    SequenceTask again = Topics.SEQUENCE_TASKS.fromJson(tasks.get(1).payload());
    assertThat(again.shots().get(1).chunks())
        .filteredOn(c -> c.chunkIndex() == 0)
        .singleElement()
        .satisfies(c -> assertThat(c.framesUri()).contains("run-" + run))
        .satisfies(c -> assertThat(c.framesUri()).isNotEqualTo(chunk.result().framesUri()));

    farm.batchProgress.onSequenceEvent(
        new SequenceEvent.Encoded(
            1, batch, "file:///s2.mp4", 98, 3.0, 90, List.of(0, 30, 60), 0, 7, 0));
    assertThat(view(batch).status()).isEqualTo(BatchStatus.SUCCEEDED);
    assertThat(farm.inTransaction(c -> farm.batches.find(c, batch, false)).orElseThrow())
        .satisfies(b -> assertThat(b.sequence().videoUri()).isEqualTo("file:///s2.mp4"));
  }

  @Test
  void aFailedSequenceEncodeLeavesAPartialBatch() {
    UUID batch = submit(THREE_SHOTS + ",\"deliver\":\"sequence\"}");
    for (JobRow job : shots(batch)) succeed(job);

    farm.batchProgress.onSequenceEvent(new SequenceEvent.Failed(1, batch, "disk full", 0));

    BatchView v = view(batch);
    assertThat(v.status()).isEqualTo(BatchStatus.PARTIAL);
    assertThat(v.sequence().error()).isEqualTo("disk full");
  }

  @Test
  void aCancelStopsTheOpenShotsKeepsTheFinishedAndStartsNoSequence() {
    UUID batch = submit(THREE_SHOTS + ",\"deliver\":\"sequence\"}");
    List<JobRow> jobs = shots(batch);
    succeed(jobs.get(0));

    requests.cancel(batch, new AuditLog.Actor(null, null));

    BatchView v = view(batch);
    assertThat(v.shots())
        .extracting(BatchView.Shot::status)
        .containsExactly(JobStatus.SUCCEEDED, JobStatus.CANCELLED, JobStatus.CANCELLED);
    assertThat(v.status()).isEqualTo(BatchStatus.PARTIAL);
    assertThat(farm.outbox(Topics.SEQUENCE_TASKS)).isEmpty();

    UUID untouched = submit(THREE_SHOTS + "}");
    requests.cancel(untouched, new AuditLog.Actor(null, null));
    assertThat(view(untouched).status()).isEqualTo(BatchStatus.CANCELLED);
  }

  @Test
  void aCancelDuringTheSequenceEncodeDropsTheEncodersLateVideo() {
    UUID batch = submit(THREE_SHOTS + ",\"deliver\":\"sequence\"}");
    for (JobRow job : shots(batch)) succeed(job);

    requests.cancel(batch, new AuditLog.Actor(null, null));
    farm.batchProgress.onSequenceEvent(
        new SequenceEvent.Encoded(
            1, batch, "file:///s.mp4", 99, 2.0, 90, List.of(0, 30, 60), 0, 7, 0));

    BatchView v = view(batch);
    assertThat(v.sequence().status()).isEqualTo(SequenceStatus.CANCELLED);
    assertThat(v.status()).isEqualTo(BatchStatus.PARTIAL);
  }

  @Test
  void aBatchOverTheTeamsQueuedJobsIsRefusedWhole() {
    UUID team =
        farm.inTransaction(
                c -> new TeamRepository().create(c, new TeamRequest("small", null, null, 2, null)))
            .orElseThrow()
            .id();

    assertThatThrownBy(() -> submit(team, null, THREE_SHOTS + "}"))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("3 more would exceed it");
    assertThat(batchesOf(team)).isEmpty();
    assertThat(jobsOf(team)).isEmpty();
  }

  @Test
  void theSameIdempotencyKeyAndBodyGiveTheSameBatchOnce() {
    UUID first = submit(TeamRepository.DEFAULT_TEAM, "k1", THREE_SHOTS + "}");
    UUID again = submit(TeamRepository.DEFAULT_TEAM, "k1", THREE_SHOTS + "}");

    assertThat(again).isEqualTo(first);
    assertThat(batchesOf(null)).hasSize(1);
    assertThat(shots(first)).hasSize(3);
  }
}
