package dev.reelfarm.schema.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aLoopRunsOnItsNamedThreadUntilItsStopHookEndsIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    String[] threadName = new String[1];
    BackgroundLoop loop =
        BackgroundLoop.of(
            "poller-1",
            () -> {
              threadName[0] = Thread.currentThread().getName();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            release::countDown);

    loop.start();
    assertThat(loop.isRunning()).isTrue();
    loop.stop();

    assertThat(loop.join(WAIT)).isTrue();
    assertThat(loop.isRunning()).isFalse();
    assertThat(loop.failed()).isFalse();
    assertThat(threadName[0]).isEqualTo("poller-1");
  }

  @Test
  void aBodyThatThrowsEndsTheLoopAsFailed() throws Exception {
    BackgroundLoop loop =
        BackgroundLoop.of(
            "crashing",
            () -> {
              throw new IllegalStateException("broker gone");
            },
            () -> {});

    loop.start();

    assertThat(loop.join(WAIT)).isTrue();
    assertThat(loop.failed()).isTrue();
  }

  @Test
  void aPeriodicActionRunsAtOnceKeepsGoingAfterAFailureAndStopsWhenClosed() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch third = new CountDownLatch(3);
    BackgroundLoop loop =
        BackgroundLoop.every(
            "beat",
            Duration.ofMillis(10),
            () -> {
              third.countDown();
              if (runs.incrementAndGet() == 1) throw new IllegalStateException("first beat lost");
            });

    loop.start();
    assertThat(third.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("beats after a failed one")
        .isTrue();
    loop.close();

    assertThat(loop.isRunning()).isFalse();
    assertThat(loop.failed()).isFalse();
    int afterClose = runs.get();
    Thread.sleep(50);
    assertThat(runs.get()).as("no beat after close").isEqualTo(afterClose);
  }
}
