package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.OrchestratorFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.persistence.TeamShares;
import dev.reelfarm.orchestrator.scheduling.FairShare;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One dispatcher pass (8 idle workers, 8 chunks placed) on a real PostgreSQL with two teams of 1,
 * 10 and 100 queued jobs each (4 READY chunks a job) and an hour of finished chunks behind them,
 * fair share on and off alternated pass by pass. Not part of the suite (run it by name, see the
 * README); prints a table.
 */
@WithPostgres
class DispatchLatencyBenchmark {
  private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
  private static final int WORKERS = 8;
  private static final int PASSES = Integer.getInteger("bench.passes", 40);

  private final TestDatabase database;
  private final OrchestratorFixture farm;

  DispatchLatencyBenchmark(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  private ChunkDispatcher dispatcher(boolean fairShare) {
    return new ChunkDispatcher(
        farm.db,
        farm.repo,
        farm.runs,
        farm.workers,
        farm.memory,
        new TeamShares(),
        64,
        farm.policy,
        new FairShare.Settings(fairShare, Duration.ofMinutes(5)),
        farm.metricQueries,
        farm.metrics);
  }

  @Test
  void onePassWithAndWithoutFairShare() throws Exception {
    StringBuilder report =
        new StringBuilder(
            "queued jobs per team | fair share on: median / p95 ms | off: median / p95 ms\n");
    for (int jobs : List.of(1, 10, 100)) {
      database.truncateAll();
      farm.sql("INSERT INTO team (id, name) VALUES ('" + A + "', 'a'), ('" + B + "', 'b')");
      history();
      for (UUID team : List.of(A, B))
        for (int i = 0; i < jobs; i++) {
          UUID job = farm.lifecycle.submit(request(4, RenderMode.INDEPENDENT, 0)).id();
          farm.sql("UPDATE render_job SET team_id = '" + team + "' WHERE id = '" + job + "'");
        }
      Map<Boolean, List<Double>> ms = Map.of(true, new ArrayList<>(), false, new ArrayList<>());
      ChunkDispatcher on = dispatcher(true), off = dispatcher(false);
      for (int pass = 0; pass < PASSES + 5; pass++)
        for (boolean fair : List.of(true, false)) {
          IntStream.range(0, WORKERS).forEach(w -> farm.heartbeat("w" + w, List.of(w)));
          long start = System.nanoTime();
          int placed = (fair ? on : off).dispatchReady();
          double elapsed = (System.nanoTime() - start) / 1e6;
          assertThat(placed).isEqualTo(Math.min(WORKERS, 8 * jobs));
          if (pass >= 5) ms.get(fair).add(elapsed);
          farm.sql(
              "UPDATE chunk SET status = 'READY', target_worker = NULL, lease_expires_at = NULL"
                  + " WHERE status = 'DISPATCHED'; DELETE FROM outbox");
        }
      report
          .append(jobs)
          .append(" | ")
          .append(stats(ms.get(true)))
          .append(" | ")
          .append(stats(ms.get(false)))
          .append('\n');
    }
    System.out.println(report);
  }

  /** An hour of finished chunks per team, one a minute: the history the usage queries read. */
  private void history() {
    for (UUID team : List.of(A, B)) {
      UUID job = farm.lifecycle.submit(request(60, RenderMode.INDEPENDENT, 0)).id();
      farm.sql(
          "UPDATE render_job SET team_id = '"
              + team
              + "', status = 'SUCCEEDED' WHERE id = '"
              + job
              + "'; UPDATE chunk SET status = 'DONE', started_at = now() - chunk_index * interval '60 seconds'"
              + " - interval '10 seconds', finished_at = now() - chunk_index * interval '60 seconds'"
              + " WHERE job_id = '"
              + job
              + "'");
    }
  }

  private static String stats(List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return String.format(
        "%.2f / %.2f", sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)));
  }
}
