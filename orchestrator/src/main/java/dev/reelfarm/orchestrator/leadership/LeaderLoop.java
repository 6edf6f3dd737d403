package dev.reelfarm.orchestrator.leadership;

import dev.reelfarm.orchestrator.loops.LoopHealth;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A periodic loop that runs its round only while this replica leads (a sweeper): every {@code
 * period}, or after a failed round (database down) the longer pause its {@link LoopHealth} says, so
 * an outage costs one log line when it starts and one when it ends.
 */
public final class LeaderLoop {
  private LeaderLoop() {}

  /** Starts the loop on its own thread; stop it with {@link BackgroundLoop#close()}. */
  public static BackgroundLoop start(
      String name, Duration period, BooleanSupplier leading, LoopHealth health, Runnable round) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable body =
        () -> {
          Duration pause = period;
          try {
            while (!stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
              pause = period;
              if (!leading.getAsBoolean()) continue;
              try {
                round.run();
                health.succeeded();
              } catch (RuntimeException e) {
                if (stopped.getCount() == 0) return;
                Duration backoff = health.failed(e);
                if (backoff.compareTo(period) > 0) pause = backoff;
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    BackgroundLoop loop = BackgroundLoop.of(name, body, stopped::countDown).start();
    health.watching(loop::isRunning);
    return loop;
  }
}
