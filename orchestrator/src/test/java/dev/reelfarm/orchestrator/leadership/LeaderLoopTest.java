package dev.reelfarm.orchestrator.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.orchestrator.loops.Backoff;
import dev.reelfarm.orchestrator.loops.LoopHealth;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sweeper's loop: rounds on the leader only, failures backed off, the thread never dies. */
class LeaderLoopTest {
  private static final Duration PERIOD = Duration.ofMillis(5);

  private final LoopHealth health =
      new LoopHealth(
          "sweeper", new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), Clock.systemUTC());
  private final AtomicBoolean leading = new AtomicBoolean(false);
  private final AtomicInteger rounds = new AtomicInteger();
  private final AtomicBoolean databaseDown = new AtomicBoolean(false);

  private void round() {
    rounds.incrementAndGet();
    if (databaseDown.get()) throw new IllegalStateException("Connection refused");
  }

  @Test
  void roundsRunOnlyWhileLeadingAndAFailingRoundNeverEndsTheLoop() throws Exception {
    try (BackgroundLoop loop =
        LeaderLoop.start("sweeper", PERIOD, leading::get, health, this::round)) {
      Thread.sleep(50);
      assertThat(rounds.get()).as("a follower does not sweep").isZero();

      leading.set(true);
      waitUntil(() -> rounds.get() >= 3);

      databaseDown.set(true);
      waitUntil(() -> !health.status().up());
      assertThat(health.status().running()).isTrue();
      assertThat(health.status().detail()).contains("Connection refused");

      databaseDown.set(false);
      waitUntil(() -> health.status().up());
      assertThat(loop.isRunning()).isTrue();
    }
    assertThat(health.status().running()).as("stopped").isFalse();
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
