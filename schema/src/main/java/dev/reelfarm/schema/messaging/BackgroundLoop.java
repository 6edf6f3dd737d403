package dev.reelfarm.schema.messaging;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's long-running loop on its own named thread: a consumer's poll loop, a heartbeat.
 * {@link #start()} runs it, {@link #stop()} asks it to end (through the body's own stop hook, e.g.
 * a consumer wake-up), {@link #join} waits, {@link #isRunning()} answers health checks. A body that
 * throws is logged with the loop's name and marks the loop {@link #failed()}: nothing dies
 * silently.
 */
public final class BackgroundLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);

  /**
   * How long {@link #close()} waits for the body to return after {@link #stop()}: a consumer closes
   * within {@link KafkaClients#CLOSE_TIMEOUT}, so twice that means it is stuck.
   */
  public static final Duration STOP_WAIT = KafkaClients.CLOSE_TIMEOUT.multipliedBy(2);

  private final String name;
  private final Runnable stopper;
  private final Thread thread;
  private final boolean interruptOnStop;
  private volatile boolean stopping;
  private volatile boolean failed;

  private BackgroundLoop(String name, Runnable body, Runnable stopper, boolean interruptOnStop) {
    this.name = name;
    this.stopper = stopper;
    this.interruptOnStop = interruptOnStop;
    this.thread = new Thread(() -> run(body), name);
    thread.setDaemon(true); // a loop never keeps the JVM alive by itself
  }

  /**
   * A loop whose {@code body} runs until {@code stopper} (called from another thread) makes it
   * return. Daemon: it never keeps the JVM alive by itself. The thread is not interrupted: a Kafka
   * consumer interrupted mid-poll throws instead of closing cleanly, so the stop hook must do it.
   */
  public static BackgroundLoop of(String name, Runnable body, Runnable stopper) {
    return new BackgroundLoop(name, body, stopper, false);
  }

  /**
   * Runs {@code action} every {@code period} (the first time at once) until stopped. An action that
   * throws is logged and tried again next period: one failed heartbeat must not end them all.
   * Stopping interrupts an action that blocks (a send waiting for an unreachable broker's
   * metadata).
   */
  public static BackgroundLoop every(String name, Duration period, Runnable action) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable body =
        () -> {
          try {
            do {
              try {
                action.run();
              } catch (RuntimeException e) {
                if (stopped.getCount() == 0) return; // interrupted by stop()
                LOG.warn("{}: {}", name, e.toString());
              }
            } while (!stopped.await(period.toMillis(), TimeUnit.MILLISECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    return new BackgroundLoop(name, body, stopped::countDown, true);
  }

  public String name() {
    return name;
  }

  public BackgroundLoop start() {
    thread.start();
    return this;
  }

  /** Asks the loop to end; returns at once. */
  public void stop() {
    stopping = true;
    stopper.run();
    if (interruptOnStop) thread.interrupt();
  }

  /** Waits up to {@code timeout} for the loop to end; true when it has. */
  public boolean join(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /** Waits until the loop has ended (stopped, or its body failed). */
  public void join() throws InterruptedException {
    thread.join();
  }

  /** Started and not ended: what a health check reports. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** True when the body ended by throwing rather than by {@link #stop()}. */
  public boolean failed() {
    return failed;
  }

  /** Stops the loop and waits up to {@link #STOP_WAIT} for it. */
  @Override
  public void close() {
    stop();
    try {
      if (!join(STOP_WAIT)) LOG.warn("{} did not stop within {}", name, STOP_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run(Runnable body) {
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      failed = true;
      LOG.error("{} stopped on {}{}", name, e, stopping ? " while stopping" : "", e);
    }
  }
}
