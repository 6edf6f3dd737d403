package dev.reelfarm.orchestrator.api;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.TeamUsageView;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage the dashboard shows, on a real PostgreSQL with two teams (and the built-in one): queue
 * counts, chunks in flight, chunk-seconds and share over the window, fair share among teams with
 * open jobs, and GPU-seconds today next to the quotas.
 */
@WithPostgres
class TeamUsagesTest {
  private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final TeamUsages usages;

  TeamUsagesTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
    this.usages = new TeamUsages(farm.db, farm.shares, Duration.ofSeconds(60));
  }

  @BeforeEach
  void twoTeams() throws Exception {
    database.truncateAll();
    farm.sql(
        "INSERT INTO team (id, name, weight, max_concurrent_chunks, max_queued_jobs,"
            + " gpu_seconds_per_day) VALUES ('"
            + A
            + "', 'a', 3, 4, 5, 3600), ('"
            + B
            + "', 'b', 1, NULL, NULL, NULL)");
  }

  private UUID job(UUID team, String status) {
    UUID job = farm.lifecycle.submit(request(4, RenderMode.INDEPENDENT, 0)).id();
    farm.sql(
        "UPDATE render_job SET team_id = '"
            + team
            + "', status = '"
            + status
            + "' WHERE id = '"
            + job
            + "'");
    return job;
  }

  /** Chunk {@code index} of {@code job} ran from {@code start} to {@code end} seconds ago. */
  private void ran(UUID job, int index, int start, int end) {
    farm.sql(
        "UPDATE chunk SET status = 'DONE', started_at = now() - interval '"
            + start
            + " seconds', finished_at = now() - interval '"
            + end
            + " seconds' WHERE job_id = '"
            + job
            + "' AND chunk_index = "
            + index);
  }

  @Test
  void eachTeamsQueueShareAndQuotaUseAreMeasured() {
    UUID running = job(A, "RUNNING");
    job(A, "QUEUED");
    ran(running, 0, 30, 10);
    farm.sql(
        "UPDATE chunk SET status = 'RUNNING', dispatched_at = now() - interval '6 seconds',"
            + " started_at = now() - interval '5 seconds' WHERE job_id = '"
            + running
            + "' AND chunk_index = 1");
    UUID done = job(B, "SUCCEEDED");
    ran(done, 0, 50, 40);
    ran(done, 1, 100, 90); // before the 60 s window, still today

    List<TeamUsageView> all = usages.all();

    assertThat(all).extracting(TeamUsageView::name).containsExactly("a", "b", "default");
    TeamUsageView a = all.get(0), b = all.get(1);
    assertThat(List.of(a.queuedJobs(), a.runningJobs(), a.chunksInFlight()))
        .containsExactly(1, 1, 1);
    assertThat(List.of(b.queuedJobs(), b.runningJobs(), b.chunksInFlight()))
        .containsExactly(0, 0, 0);
    assertThat(a.windowSeconds()).isEqualTo(60);
    assertThat(a.chunkSeconds()).as("20 s done + 5 s running").isCloseTo(25, within(1.0));
    assertThat(b.chunkSeconds()).as("only the chunk inside the window").isCloseTo(10, within(0.1));
    assertThat(a.share()).isCloseTo(25.0 / 35, within(0.02));
    assertThat(a.share() + b.share()).isCloseTo(1, within(1e-9));
    assertThat(a.fairShare()).as("the only team with open jobs").isEqualTo(1.0);
    assertThat(b.fairShare()).isNull();
    assertThat(a.maxConcurrentChunks()).isEqualTo(4);
    assertThat(a.maxQueuedJobs()).isEqualTo(5);
    assertThat(a.gpuSecondsPerDay()).isEqualTo(3600L);
    assertThat(a.gpuSecondsToday()).isCloseTo(25, within(1.0));
    assertThat(b.gpuSecondsToday()).isCloseTo(20, within(0.1));
    assertThat(b.maxConcurrentChunks()).isNull();

    assertThat(usages.of(B))
        .as("one team, its share still against every team's (a's running chunk has run on)")
        .usingRecursiveComparison()
        .ignoringFields("share")
        .isEqualTo(b);
  }

  @Test
  void fairSharesFollowTheWeightsOfTeamsWithOpenJobs() {
    job(A, "QUEUED");
    job(B, "QUEUED");

    List<TeamUsageView> all = usages.all();

    assertThat(all).extracting(TeamUsageView::fairShare).containsExactly(0.75, 0.25, null);
    assertThat(all).extracting(TeamUsageView::share).containsExactly(0.0, 0.0, 0.0);
  }
}
