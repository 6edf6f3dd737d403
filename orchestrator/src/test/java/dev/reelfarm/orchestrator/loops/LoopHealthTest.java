package dev.reelfarm.orchestrator.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the health checks see of a loop as its database goes away and comes back. */
class LoopHealthTest {
  private static final SQLException REFUSED = new SQLException("Connection refused", "08001");

  private final MutableClock clock = new MutableClock();
  private final AtomicBoolean threadAlive = new AtomicBoolean(true);
  private final LoopHealth health =
      new LoopHealth("outbox-relay", Backoff.LOOPS, clock).watching(threadAlive::get);

  @Test
  void aLoopIsDownWhileItFailsRepeatedlyAndUpOnceARoundSucceeds() {
    assertThat(health.status().up()).isTrue();

    assertThat(health.failed(REFUSED)).isEqualTo(Duration.ofMillis(500));
    assertThat(health.status().up()).as("one failure may be a blip").isTrue();
    clock.advance(Duration.ofSeconds(3));
    assertThat(health.failed(REFUSED)).isEqualTo(Duration.ofSeconds(1));

    LoopHealth.Status down = health.status();
    assertThat(down.up()).isFalse();
    assertThat(down.running()).isTrue();
    assertThat(down.detail()).contains("failing for 3 s", "2 rounds", "Connection refused");

    health.succeeded();
    assertThat(health.status()).isEqualTo(new LoopHealth.Status("outbox-relay", true, true, "ok"));
    assertThat(health.failed(REFUSED))
        .as("the backoff starts again after a success")
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aLoopWhoseThreadEndedIsNeitherRunningNorUp() {
    threadAlive.set(false);

    assertThat(health.status())
        .isEqualTo(new LoopHealth.Status("outbox-relay", false, false, "not running"));
  }

  @Test
  void aLeaderOnlyLoopStandsByOnAFollowerWhateverItsLastRoundDid() {
    Loops loops = new Loops();
    LoopHealth relay = loops.registerLeaderOnly("outbox-relay");
    LoopHealth consumer = loops.register("event-consumer");
    relay.failed(REFUSED);
    relay.failed(REFUSED);
    consumer.failed(REFUSED);
    consumer.failed(REFUSED);

    assertThat(loops.statuses(true))
        .extracting(LoopHealth.Status::name, LoopHealth.Status::up)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("event-consumer", false),
            org.assertj.core.groups.Tuple.tuple("outbox-relay", false));
    assertThat(loops.statuses(false))
        .extracting(LoopHealth.Status::name, LoopHealth.Status::up)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("event-consumer", false),
            org.assertj.core.groups.Tuple.tuple("outbox-relay", true));
  }

  private static final class MutableClock extends java.time.Clock {
    private Instant now = Instant.parse("2026-12-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
