package dev.reelfarm.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.persistence.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the event consumer retries a record that decoded but did not apply. */
class ApplyRetriesTest {
  private static final RuntimeException DATABASE_DOWN =
      new Database.PersistenceException(new SQLException("connection refused", "08001"));

  @Test
  void aDatabaseFailureIsRetriedForeverWithABackoffCappedAt30Seconds() {
    ApplyRetries retries = new ApplyRetries();
    List<Long> pauses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      pauses.add(retries.after(DATABASE_DOWN).orElseThrow().toSeconds());
    }

    assertThat(pauses.subList(0, 7)).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
    assertThat(pauses.subList(7, 100)).containsOnly(30L);
    assertThat(retries.failures()).isZero();
  }

  @Test
  void anyOtherFailureIsTriedThreeTimesThenDeadLettered() {
    ApplyRetries retries = new ApplyRetries();
    RuntimeException bug = new IllegalStateException("no such chunk");

    assertThat(retries.after(bug)).contains(Duration.ofMillis(200));
    assertThat(retries.after(DATABASE_DOWN))
        .as("a database outage between tries does not count")
        .contains(Duration.ofSeconds(1));
    assertThat(retries.after(bug)).contains(Duration.ofMillis(400));
    assertThat(retries.after(bug)).isEmpty();
    assertThat(retries.failures()).isEqualTo(3);
  }
}
