package dev.reelfarm.orchestrator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.loops.Backoff;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookRetryPolicyTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private final WebhookRetryPolicy policy =
      new WebhookRetryPolicy(
          new Backoff(Duration.ofSeconds(5), Duration.ofHours(1)), 12, Duration.ofHours(24));

  @Test
  void waitsDoubleFromTheFirstUpToTheCap() {
    assertThat(policy.pause(1, 0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.pause(2, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.pause(3, 0)).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.pause(11, 0)).isEqualTo(Duration.ofHours(1));
    assertThat(policy.pause(1000, 0)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void jitterTakesAtMostHalfOfTheWait() {
    assertThat(policy.pause(2, 0.5)).isEqualTo(Duration.ofMillis(7500));
    assertThat(policy.pause(2, 0.999999)).isGreaterThan(Duration.ofSeconds(5));
    assertThat(policy.pause(20, 0.999999)).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
    assertThatThrownBy(() -> policy.pause(1, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFailedAttemptIsRetriedAfterItsJitteredWait() {
    Instant now = CREATED.plusSeconds(30);

    var decision = policy.afterFailure(3, CREATED, now, 0.5);

    assertThat(decision).isEqualTo(new WebhookRetryPolicy.RetryAt(now.plusSeconds(15)));
  }

  @Test
  void givesUpOnceTheAttemptsAreSpent() {
    var decision = policy.afterFailure(12, CREATED, CREATED.plusSeconds(60), 0);

    assertThat(decision).isEqualTo(new WebhookRetryPolicy.GiveUp("gave up after 12 attempts"));
  }

  @Test
  void givesUpWhenTheNextTryWouldBePastTheAgeLimit() {
    Instant late = CREATED.plus(Duration.ofHours(23)).plus(Duration.ofMinutes(50));

    var decision = policy.afterFailure(11, CREATED, late, 0);

    assertThat(decision).isEqualTo(new WebhookRetryPolicy.GiveUp("gave up: older than 24 h"));
  }
}
