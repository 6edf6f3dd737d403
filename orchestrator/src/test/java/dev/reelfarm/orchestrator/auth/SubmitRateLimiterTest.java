package dev.reelfarm.orchestrator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.RateBuckets;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The submission rate limit on a real PostgreSQL, as two replicas share it. */
@WithPostgres
class SubmitRateLimiterTest {
  private final TestDatabase database;
  private final Database db;
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-02T10:00:00Z"));
  private final InstantSource clock = () -> now.get();

  SubmitRateLimiterTest(TestDatabase database) {
    this.database = database;
    this.db = new Database(database.dataSource());
  }

  @BeforeEach
  void empty() throws Exception {
    database.truncateAll();
  }

  private SubmitRateLimiter replica() {
    return new SubmitRateLimiter(db, new RateBuckets(), 2, 6, clock); // 6 a minute: one per 10 s
  }

  @Test
  void eachKeyHasItsOwnBucketAndTheRefusalNamesTheLimit() {
    var limiter = replica();
    Caller a = caller();
    Caller b = caller();
    limiter.acquire(a);
    limiter.acquire(a);
    limiter.acquire(b);
    assertThatThrownBy(() -> limiter.acquire(a))
        .isInstanceOfSatisfying(
            SubmitRateLimiter.RateLimitedException.class,
            e -> assertThat(e.retryAfterSeconds()).isEqualTo(10))
        .hasMessageContaining("at most 6 submissions per minute per API key (bursts of 2)");
    now.set(now.get().plus(Duration.ofSeconds(10)));
    limiter.acquire(a);
  }

  @Test
  void twoReplicasSpendOneBucketPerKey() {
    SubmitRateLimiter first = replica();
    SubmitRateLimiter second = replica();
    Caller a = caller();
    first.acquire(a);
    second.acquire(a);

    assertThatThrownBy(() -> first.acquire(a))
        .isInstanceOf(SubmitRateLimiter.RateLimitedException.class);
    assertThatThrownBy(() -> second.acquire(a))
        .as("the burst was spent on the other replica")
        .isInstanceOf(SubmitRateLimiter.RateLimitedException.class);
    now.set(now.get().plus(Duration.ofSeconds(10)));
    second.acquire(a);
    assertThatThrownBy(() -> first.acquire(a))
        .as("one token refilled in 10 s, for both replicas together")
        .isInstanceOf(SubmitRateLimiter.RateLimitedException.class);
  }

  @Test
  void aCallerWithoutAKeySpendsItsTeamsBucket() {
    var limiter = replica();
    UUID team = UUID.randomUUID();
    Caller one = new Caller(null, team, "t", EnumSet.of(ApiScope.SUBMIT));
    Caller other = new Caller(null, team, "t", EnumSet.of(ApiScope.SUBMIT));
    limiter.acquire(one);
    limiter.acquire(other);
    assertThatThrownBy(() -> limiter.acquire(one))
        .isInstanceOf(SubmitRateLimiter.RateLimitedException.class);
  }

  private static Caller caller() {
    return new Caller(UUID.randomUUID(), UUID.randomUUID(), "t", EnumSet.of(ApiScope.SUBMIT));
  }
}
