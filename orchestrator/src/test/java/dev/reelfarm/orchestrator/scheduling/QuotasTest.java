package dev.reelfarm.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.persistence.TeamShares.QuotaStanding;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuotasTest {
  private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration RETRY = Duration.ofSeconds(30);

  @Test
  void aTeamBelowItsLimitsMayQueueAJob() {
    assertThat(Quotas.admit(new QuotaStanding("a", 5, 4, 3600L, 3599.5, NOON), RETRY)).isEmpty();
    assertThat(Quotas.admit(new QuotaStanding("a", null, 900, null, 1e9, NOON), RETRY)).isEmpty();
  }

  @Test
  void aTeamWithItsMaximumOfJobsQueuedIsRefusedNamingTheLimit() {
    var refusal = Quotas.admit(new QuotaStanding("a", 5, 5, null, 0, NOON), RETRY).orElseThrow();

    assertThat(refusal.limit()).isEqualTo("max-queued-jobs");
    assertThat(refusal.message()).contains("team a", "max-queued-jobs limit is 5");
    assertThat(refusal.retryAfter()).isEqualTo(RETRY);
  }

  @Test
  void aTeamThatUsedItsGpuSecondsTodayWaitsForTheNextUtcDay() {
    var refusal =
        Quotas.admit(new QuotaStanding("a", null, 0, 3600L, 3600.2, NOON), RETRY).orElseThrow();

    assertThat(refusal.limit()).isEqualTo("gpu-seconds-per-day");
    assertThat(refusal.message()).contains("gpu-seconds-per-day limit is 3600", "00:00 UTC");
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofHours(12));
    assertThat(Quotas.dayStart(NOON)).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }
}
