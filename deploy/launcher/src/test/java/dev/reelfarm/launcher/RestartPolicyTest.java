package dev.reelfarm.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartPolicyTest {

  private static final RestartPolicy POLICY = RestartPolicy.DEFAULT;
  private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void backoffDoublesFromOneSecondAndStaysAtTheCap() {
    assertThat(IntStream.rangeClosed(1, 8).mapToObj(POLICY::backoff).map(Duration::toSeconds))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    assertThat(POLICY.backoff(10_000)).isEqualTo(Duration.ofSeconds(30));
    assertThat(POLICY.atCap(5)).isFalse();
    assertThat(POLICY.atCap(6)).isTrue();
    assertThatThrownBy(() -> POLICY.backoff(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RestartPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCrashRestartsAfterTheBackoffAndIsCountedWithItsExit() {
    var tracker = new RestartTracker(POLICY, T0);
    Instant crash = T0.plusSeconds(5);

    assertThat(tracker.exited(crash, OptionalInt.of(137))).isEqualTo(Duration.ofSeconds(1));
    assertThat(tracker.waiting()).isTrue();
    assertThat(tracker.due(crash.plusMillis(999))).isFalse();
    assertThat(tracker.due(crash.plusSeconds(1))).isTrue();
    assertThat(tracker.lastExit()).hasValue("code 137 at 2026-12-01T12:00:05Z");

    tracker.restarting();
    tracker.restarted(crash.plusSeconds(3));
    assertThat(tracker.restarts()).isEqualTo(1);
    assertThat(tracker.waiting()).isFalse();
    assertThat(tracker.due(crash.plusSeconds(60))).isFalse();
  }

  @Test
  void aCrashLoopBacksOffToTheCapAndIsRetriedThereForever() {
    var tracker = new RestartTracker(POLICY, T0);
    Instant now = T0;
    Duration wait = Duration.ZERO;
    for (int i = 0; i < 20; i++) {
      now = now.plusSeconds(1);
      wait = tracker.exited(now, OptionalInt.of(1)); // dies a second after each start
      now = now.plus(wait);
      assertThat(tracker.due(now)).isTrue();
      tracker.restarting();
      tracker.restarted(now);
    }
    assertThat(wait).isEqualTo(Duration.ofSeconds(30));
    assertThat(tracker.crashLooping()).isTrue();
    assertThat(tracker.crashesInARow()).isEqualTo(20);
    assertThat(tracker.restarts()).isEqualTo(20);
  }

  @Test
  void aRunLongerThanAMinuteStartsANewSeries() {
    var tracker = new RestartTracker(POLICY, T0);
    tracker.exited(T0.plusSeconds(1), OptionalInt.of(1));
    tracker.restarting();
    tracker.restarted(T0.plusSeconds(2));
    assertThat(tracker.exited(T0.plusSeconds(3), OptionalInt.of(1)))
        .isEqualTo(Duration.ofSeconds(2));
    tracker.restarting();
    tracker.restarted(T0.plusSeconds(5));

    assertThat(tracker.exited(T0.plusSeconds(65), OptionalInt.empty()))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(tracker.lastExit()).hasValue("died at 2026-12-01T12:01:05Z");
  }

  @Test
  void aRestartThatDoesNotGetReadyBacksOffFurther() {
    var tracker = new RestartTracker(POLICY, T0);
    tracker.exited(T0.plusSeconds(1), OptionalInt.of(137));
    tracker.restarting();
    assertThat(tracker.restartFailed(T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(2));
    assertThat(tracker.due(T0.plusSeconds(11))).isFalse();
    assertThat(tracker.due(T0.plusSeconds(12))).isTrue();
    assertThat(tracker.restarts()).isEqualTo(1);
  }

  @Test
  void theStatusFileReadsBackAsWritten(@TempDir Path dir) throws Exception {
    var all =
        List.of(
            new ServiceStatus("kafka", 12, "up", 0, "-"),
            new ServiceStatus("worker-1", 34, "down, restart in 4 s", 3, "code 137 at x"));
    ServiceStatus.write(dir, all);
    assertThat(ServiceStatus.parse(Files.readAllLines(dir.resolve(ServiceStatus.FILE))))
        .isEqualTo(all);
  }
}
