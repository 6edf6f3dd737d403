package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static dev.reelfarm.orchestrator.persistence.TeamRepository.DEFAULT_TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queue control on a real PostgreSQL: an open job's priority changes and the next dispatch pass
 * orders by it; a finished job's does not; a retry is a new job of the stored request, linked to
 * its original, through the submission path (idempotency included), refused while the original is
 * open.
 */
@WithPostgres
class QueueControlTest {
  private static final AuditLog.Actor ACTOR = new AuditLog.Actor(null, DEFAULT_TEAM);

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final QueueControlRepository control = new QueueControlRepository();
  private final QueueControl queue;

  QueueControlTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
    var submissions = farm.submissions();
    this.queue =
        new QueueControl(
            farm.db, farm.repo, control, submissions, new AuditLog(), OrchestratorFixture.MODELS);
  }

  @BeforeEach
  void emptyFarm() throws Exception {
    database.truncateAll();
  }

  private List<JobRow> jobs() {
    return farm.inTransaction(c -> farm.repo.listJobs(c, null, null, null, 10));
  }

  private UUID readyJob(int priority) {
    return farm.lifecycle.submit(request(4, RenderMode.INDEPENDENT, priority)).id();
  }

  @Test
  void theNextDispatchPassOrdersByTheChangedPriority() {
    UUID older = readyJob(0);
    UUID younger = readyJob(0);
    farm.heartbeat("w1", List.of(0));

    JobRow changed = queue.reprioritise(younger, 10, ACTOR);
    farm.dispatcher.dispatchReady();

    assertThat(changed.spec().priority()).isEqualTo(10);
    assertThat(farm.chunk(younger, 0).status())
        .as("the younger job now goes first")
        .isEqualTo(ChunkStatus.DISPATCHED);
    assertThat(farm.chunks(older))
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ChunkStatus.READY));

    queue.reprioritise(older, 20, ACTOR);
    farm.sql(
        "UPDATE chunk SET status = 'DONE' WHERE job_id = '" + younger + "' AND chunk_index = 0");
    farm.dispatcher.dispatchReady();
    assertThat(farm.chunk(older, 0).status())
        .as("a running job's priority changes too, from the next placement")
        .isEqualTo(ChunkStatus.DISPATCHED);
  }

  @Test
  void aFinishedJobsPriorityCannotChange() {
    UUID job = readyJob(0);
    farm.lifecycle.cancel(job);

    assertThatThrownBy(() -> queue.reprioritise(job, 5, ACTOR))
        .isInstanceOfSatisfying(
            RefusedRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.field()).isEqualTo("status");
            });
    assertThat(farm.job(job).spec().priority()).isZero();
  }

  @Test
  void aRetryIsANewJobOfTheStoredRequestLinkedToItsOriginal() {
    var asked =
        RenderRequest.builder("a red circle moving left")
            .negativePrompt("blurry")
            .durationSeconds(4)
            .preset(Preset.LANDSCAPE)
            .seed(99)
            .steps(7)
            .guidanceScale(4.5)
            .priority(3)
            .mode(RenderMode.SEQUENTIAL)
            .interpolation(Interpolation.BLEND)
            .webhook("https://hooks.example.com/x")
            .build();
    UUID original = farm.lifecycle.submit(asked).id();
    farm.lifecycle.cancel(original);

    RenderRequest stored = queue.storedRequest(farm.job(original));
    var retried = queue.retry(DEFAULT_TEAM, ACTOR, null, original, stored);

    assertThat(stored)
        .as("the stored request, with the job's model")
        .isEqualTo(asked.toBuilder().model(OrchestratorFixture.MODEL).build());
    assertThat(retried.status()).isEqualTo(202);
    JobRow retry = farm.job(retried.id());
    assertThat(retry.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(retry.spec()).isEqualTo(farm.job(original).spec());
    Optional<UUID> retryOf = farm.inTransaction(c -> control.retryOf(c, retry.id()));
    Optional<String> webhook = farm.inTransaction(c -> control.webhookUrl(c, retry.id()));
    assertThat(retryOf).contains(original);
    assertThat(webhook).contains("https://hooks.example.com/x");
  }

  @Test
  void anOpenJobCannotBeRetriedAndNothingIsStored() {
    UUID original = readyJob(0);
    RenderRequest stored = queue.storedRequest(farm.job(original));

    assertThatThrownBy(() -> queue.retry(DEFAULT_TEAM, ACTOR, "key-1", original, stored))
        .isInstanceOfSatisfying(
            RefusedRequestException.class, e -> assertThat(e.status()).isEqualTo(409));
    assertThat(jobs()).extracting(JobRow::id).containsExactly(original);

    farm.lifecycle.cancel(original);
    assertThat(queue.retry(DEFAULT_TEAM, ACTOR, "key-1", original, stored).replayed())
        .as("the refused request stored nothing, so its key is still free")
        .isFalse();
  }

  @Test
  void aRetryWithAnIdempotencyKeyCreatesOneJob() {
    UUID original = readyJob(0);
    farm.lifecycle.cancel(original);
    RenderRequest stored = queue.storedRequest(farm.job(original));

    var first = queue.retry(DEFAULT_TEAM, ACTOR, "retry-key", original, stored);
    var again = queue.retry(DEFAULT_TEAM, ACTOR, "retry-key", original, stored);

    assertThat(again.replayed()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(jobs()).hasSize(2);
  }
}
