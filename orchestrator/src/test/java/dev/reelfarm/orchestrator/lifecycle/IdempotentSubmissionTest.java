package dev.reelfarm.orchestrator.lifecycle;

import static dev.reelfarm.orchestrator.persistence.TeamRepository.DEFAULT_TEAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.OrchestratorFixture;
import dev.reelfarm.orchestrator.lifecycle.RenderSubmissions.Submitted;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.orchestrator.submission.UnprocessableRequestException;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.TeamRequest;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idempotency-Key on real PostgreSQL: one job per key and body however many requests race, the
 * first response replayed, another body refused, expired keys free again and pruned.
 */
@WithPostgres
class IdempotentSubmissionTest {
  private static final String BODY = "{\"prompt\": \"a red circle\", \"durationSeconds\": 2}";
  private static final Duration KEEP = Duration.ofHours(24);

  private final TestDatabase database;
  private final OrchestratorFixture farm;
  private final ObjectMapper mapper = ApiJson.mapper();
  private final RenderRequestParser parser =
      new RenderRequestParser(mapper, OrchestratorFixture.MODELS, () -> 7);

  IdempotentSubmissionTest(TestDatabase database) {
    this.database = database;
    this.farm = new OrchestratorFixture(database.dataSource(), 64, 3);
  }

  @BeforeEach
  void empty() throws Exception {
    database.truncateAll();
  }

  private Submitted submit(RenderSubmissions s, UUID team, String key, String body) {
    return s.submit(team, new AuditLog.Actor(null, team), key, body, parser.parse(body));
  }

  private UUID team(String name) {
    return farm.inTransaction(
            c -> new TeamRepository().create(c, new TeamRequest(name, null, null, null, null)))
        .orElseThrow()
        .id();
  }

  private int jobs() {
    return farm.inTransaction(
        c -> {
          try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM render_job")) {
            r.next();
            return r.getInt(1);
          }
        });
  }

  @Test
  void twentyConcurrentPostsWithOneKeyAndBodyCreateExactlyOneJob() throws Exception {
    RenderSubmissions s = farm.submissions(KEEP);
    int requests = 20;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Submitted>> futures = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return submit(s, DEFAULT_TEAM, "retry-me", BODY);
                }));
      }
      go.countDown();
      List<Submitted> answers = new ArrayList<>();
      for (Future<Submitted> f : futures) answers.add(f.get());

      assertThat(jobs()).isEqualTo(1);
      Submitted first = answers.stream().filter(a -> !a.replayed()).findFirst().orElseThrow();
      assertThat(answers).filteredOn(a -> !a.replayed()).hasSize(1);
      assertThat(answers)
          .allSatisfy(
              a -> {
                assertThat(a.id()).isEqualTo(first.id());
                assertThat(a.status()).isEqualTo(202);
                assertThat(a.body()).isEqualTo(first.body());
              });
      assertThat(first.body()).contains(first.id().toString()).contains("\"QUEUED\"");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theSameBodyWrittenDifferentlyIsTheSameRequest() {
    RenderSubmissions s = farm.submissions(KEEP);
    Submitted first = submit(s, DEFAULT_TEAM, "k", BODY);
    Submitted again =
        submit(s, DEFAULT_TEAM, "k", "{\"durationSeconds\":2,\n \"prompt\":\"a red circle\"}");

    assertThat(again.replayed()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(jobs()).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIsRefusedNamingTheHeader() {
    RenderSubmissions s = farm.submissions(KEEP);
    submit(s, DEFAULT_TEAM, "k", BODY);

    assertThatThrownBy(() -> submit(s, DEFAULT_TEAM, "k", "{\"prompt\": \"a blue square\"}"))
        .isInstanceOfSatisfying(
            UnprocessableRequestException.class,
            e -> assertThat(e.field()).isEqualTo("Idempotency-Key"))
        .hasMessageContaining("different request body");
    assertThat(jobs()).isEqualTo(1);
  }

  @Test
  void withoutAKeyEveryRequestIsANewJobAndKeysAreKeptPerScope() {
    RenderSubmissions s = farm.submissions(KEEP);
    Submitted a = submit(s, DEFAULT_TEAM, null, BODY);
    Submitted b = submit(s, DEFAULT_TEAM, null, BODY);
    Submitted teamA = submit(s, team("team-a"), "k", BODY);
    Submitted teamB = submit(s, team("team-b"), "k", BODY);

    assertThat(List.of(a.id(), b.id(), teamA.id(), teamB.id())).doesNotHaveDuplicates();
    assertThat(List.of(a, b, teamA, teamB)).noneMatch(Submitted::replayed);
    assertThat(jobs()).isEqualTo(4);
  }

  @Test
  void anExpiredKeyIsFreeForANewRequestAndIsPruned() {
    RenderSubmissions expired = farm.submissions(Duration.ofSeconds(-1));
    Submitted first = submit(expired, DEFAULT_TEAM, "k", BODY);
    Submitted second = submit(expired, DEFAULT_TEAM, "k", "{\"prompt\": \"a blue square\"}");

    assertThat(second.replayed()).isFalse();
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(expired.prune()).isEqualTo(1);
    assertThat(expired.prune()).isZero();
    assertThat(jobs()).isEqualTo(2);
  }

  @Test
  void aKeyMustBeShortPrintableAscii() {
    RenderSubmissions s = farm.submissions(KEEP);
    for (String bad : List.of("", "x".repeat(256), "caf\u00e9", "tab\there")) {
      assertThatThrownBy(() -> submit(s, DEFAULT_TEAM, bad, BODY))
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> assertThat(e.field()).isEqualTo("Idempotency-Key"));
    }
    assertThat(jobs()).isZero();
  }
}
