package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.submission.QuotaExceededException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Teams on one farm, on a real PostgreSQL: the dispatcher shares contended workers between teams, a
 * team's concurrent-chunk cap holds and frees its places for others, and submissions over a team's
 * quotas are refused before any job is stored.
 */
@WithPostgres
class TeamShareTest {
  private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
  private static final ObjectMapper MAPPER = ApiJson.mapper();
  private static final String BODY = "{\"prompt\":\"a red circle moving left\"}";

  private final TestDatabase database;
  private final OrchestratorFixture farm;

  TeamShareTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void twoTeams() throws Exception {
    database.truncateAll();
    farm.sql("INSERT INTO team (id, name) VALUES ('" + A + "', 'a'), ('" + B + "', 'b')");
  }

  /** A job of {@code team} whose 4 chunks are all READY. */
  private UUID job(UUID team, int priority) {
    UUID job = farm.lifecycle.submit(request(4, RenderMode.INDEPENDENT, priority)).id();
    farm.sql("UPDATE render_job SET team_id = '" + team + "' WHERE id = '" + job + "'");
    return job;
  }

  private void workers(int n) {
    for (int i = 0; i < n; i++) farm.heartbeat("w" + i, List.of(i));
  }

  private long dispatched(List<UUID> jobs) {
    return jobs.stream()
        .flatMap(j -> farm.chunks(j).stream())
        .filter(c -> c.status() == ChunkStatus.DISPATCHED)
        .count();
  }

  @Test
  void aTeamThatQueuesLaterGetsTheNextFreeWorkerAheadOfABacklog() {
    List<UUID> backlog = IntStream.range(0, 10).mapToObj(i -> job(A, 50)).toList();
    workers(2);
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(2);
    ChunkRow running = farm.chunk(backlog.get(0), 0);
    UUID run = farm.start(running, "w0");
    UUID late = job(B, 0);

    farm.complete(running, run, "w0");
    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(1);

    assertThat(farm.chunk(late, 0).status())
        .as("b's first chunk takes the freed worker although a's jobs rank higher and are older")
        .isEqualTo(ChunkStatus.DISPATCHED);
  }

  @Test
  void contendedWorkersAreSplitByWeight() {
    farm.sql("UPDATE team SET weight = 3 WHERE id = '" + A + "'");
    List<UUID> a = IntStream.range(0, 3).mapToObj(i -> job(A, 0)).toList();
    List<UUID> b = IntStream.range(0, 3).mapToObj(i -> job(B, 0)).toList();
    workers(8);

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(8);

    assertThat(dispatched(a)).isEqualTo(6);
    assertThat(dispatched(b)).isEqualTo(2);
  }

  @Test
  void aTeamAtItsConcurrentChunkCapHoldsNoWorkerAnotherTeamCouldUse() {
    farm.sql("UPDATE team SET max_concurrent_chunks = 1, weight = 10 WHERE id = '" + A + "'");
    List<UUID> a = List.of(job(A, 100), job(A, 100));
    UUID b = job(B, 0);
    workers(3);

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(3);
    assertThat(dispatched(a)).isEqualTo(1);
    assertThat(dispatched(List.of(b))).isEqualTo(2);

    farm.sweeper.updateWaitingReasons();
    assertThat(farm.job(a.get(0)).state().waitingReason())
        .isEqualTo("team a at its concurrent-chunk limit 1");
    assertThat(farm.job(b).state().waitingReason()).isNull();
  }

  @Test
  void aCappedTeamAloneLeavesWorkersIdle() {
    farm.sql("UPDATE team SET max_concurrent_chunks = 2 WHERE id = '" + A + "'");
    UUID a = job(A, 0);
    workers(4);

    assertThat(farm.dispatcher.dispatchReady()).isEqualTo(2);
    assertThat(farm.dispatcher.dispatchReady()).as("still at its cap").isZero();
    assertThat(dispatched(List.of(a))).isEqualTo(2);
  }

  private RenderRequest parsed() {
    return new RenderRequestParser(MAPPER, OrchestratorFixture.MODELS, () -> 7).parse(BODY);
  }

  private RenderSubmissions.Submitted submitAs(RenderSubmissions s, UUID team, String key) {
    return s.submit(team, new AuditLog.Actor(null, team), key, BODY, parsed());
  }

  private int jobsOf(UUID team) {
    return jobs("WHERE team_id = '" + team + "'");
  }

  private int jobs(String where) {
    return farm.inTransaction(
        c -> {
          try (ResultSet r =
              c.createStatement().executeQuery("SELECT count(*) FROM render_job " + where)) {
            r.next();
            return r.getInt(1);
          }
        });
  }

  @Test
  void aTeamWithItsMaximumOfJobsQueuedIsRefusedAndNoJobIsCreated() {
    farm.sql("UPDATE team SET max_queued_jobs = 2 WHERE id = '" + A + "'");
    RenderSubmissions submissions = farm.submissions();
    submitAs(submissions, A, null);
    submitAs(submissions, A, "key-1");

    var refused =
        catchThrowableOfType(QuotaExceededException.class, () -> submitAs(submissions, A, "key-2"));
    var refusedWithoutKey =
        catchThrowableOfType(QuotaExceededException.class, () -> submitAs(submissions, A, null));

    assertThat(refused.limit()).isEqualTo("max-queued-jobs");
    assertThat(refused.getMessage()).contains("team a", "max-queued-jobs limit is 2");
    assertThat(refused.retryAfterSeconds()).isEqualTo(30);
    assertThat(refusedWithoutKey).isNotNull();
    assertThat(jobs("")).as("no job of any team was created").isEqualTo(2);
    assertThat(submitAs(submissions, A, "key-1").replayed())
        .as("a replay of an accepted submission is not a new job")
        .isTrue();
    submitAs(submissions, B, null);
    assertThat(jobsOf(B)).as("another team is not limited").isEqualTo(1);
  }

  @Test
  void aTeamThatUsedItsGpuSecondsTodayIsRefusedUntilTheNextUtcDay() {
    farm.sql("UPDATE team SET gpu_seconds_per_day = 60 WHERE id = '" + A + "'");
    UUID used = job(A, 0);
    farm.sql(
        "UPDATE chunk SET status = 'DONE', started_at = now() - interval '20 seconds',"
            + " finished_at = now() WHERE job_id = '"
            + used
            + "'"); // 4 chunks × 20 s today: 80 GPU-seconds

    var refused =
        catchThrowableOfType(
            QuotaExceededException.class, () -> submitAs(farm.submissions(), A, null));

    assertThat(refused.limit()).isEqualTo("gpu-seconds-per-day");
    assertThat(refused.getMessage()).contains("used 80 GPU-seconds", "limit is 60");
    assertThat(refused.retryAfterSeconds()).isBetween(1L, 86_400L);
    assertThat(jobs("")).isEqualTo(1);
  }
}
