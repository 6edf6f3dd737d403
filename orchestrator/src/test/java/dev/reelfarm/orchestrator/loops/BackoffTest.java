package dev.reelfarm.orchestrator.loops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void pausesDoubleFromTheFirstUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

    assertThat(IntStream.rangeClosed(1, 7).mapToObj(backoff::pause).map(Duration::toMillis))
        .containsExactly(500L, 1000L, 2000L, 4000L, 5000L, 5000L, 5000L);
  }

  @Test
  void aLongOutageNeverOverflowsPastTheCap() {
    assertThat(Backoff.LOOPS.pause(1_000_000)).isEqualTo(Backoff.LOOPS.max());
    assertThat(Backoff.LOOPS.pause(Integer.MAX_VALUE)).isEqualTo(Backoff.LOOPS.max());
  }

  @Test
  void noFailureMeansNoPause() {
    assertThat(Backoff.LOOPS.pause(0)).isZero();
  }

  @Test
  void aCapBelowTheFirstPauseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNinetySecondOutageCostsAboutTwentyTriesNotThousands() {
    long elapsed = 0;
    int tries = 0;
    while (elapsed < 90_000) elapsed += Backoff.LOOPS.pause(++tries).toMillis();

    assertThat(tries).isBetween(18, 22);
  }
}
