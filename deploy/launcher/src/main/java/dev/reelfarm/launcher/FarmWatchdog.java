package dev.reelfarm.launcher;

import dev.reelfarm.infra.ServiceProcess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises a {@link LocalFarm} like a process supervisor: a component that dies (an orchestrator,
 * a worker, the encoder, the embedded Kafka or PostgreSQL) is started again in its place after the
 * {@link RestartPolicy}'s backoff, and again and again if it keeps crashing, instead of the farm
 * being torn down. Each exit and restart is logged and counted; the counts, the last exits and the
 * pids go to {@code <farm dir>/services} for {@code reelfarm status}. One daemon thread polls every
 * {@value #POLL_MS} ms and restarts one component at a time (infrastructure first); it ends when
 * the farm closes.
 */
public final class FarmWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FarmWatchdog.class);
  static final long POLL_MS = 500;

  /** One thing to watch, as the farm has it now. */
  private record Component(
      String name,
      BooleanSupplier alive,
      LongSupplier pid,
      Supplier<OptionalInt> exitCode,
      Runnable restart) {}

  private final LocalFarm farm;
  private final RestartPolicy policy;
  private final Clock clock;
  private final Map<String, RestartTracker> trackers = new HashMap<>();
  private final Map<String, String> states = new HashMap<>();
  private final Thread thread;
  private volatile boolean stopped;

  private FarmWatchdog(LocalFarm farm, RestartPolicy policy, Clock clock) {
    this.farm = farm;
    this.policy = policy;
    this.clock = clock;
    this.thread = new Thread(this::run, "reelfarm-watchdog");
    thread.setDaemon(true);
  }

  /** Starts watching {@code farm}, whose components are all up now. */
  public static FarmWatchdog start(LocalFarm farm, RestartPolicy policy) {
    var watchdog = new FarmWatchdog(farm, policy, Clock.systemUTC());
    watchdog.check(); // writes the status file before the first poll
    watchdog.thread.start();
    return watchdog;
  }

  /** Restarts done so far, per component name. */
  public synchronized Map<String, Integer> restarts() {
    var counts = new HashMap<String, Integer>();
    trackers.forEach((name, t) -> counts.put(name, t.restarts()));
    return counts;
  }

  private void run() {
    while (!stopped && !farm.isClosed()) {
      try {
        Thread.sleep(POLL_MS);
        check();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("supervising the farm: {}", e.toString()); // the next poll tries again
      }
    }
  }

  /** One poll: note new deaths, restart what is due, write the status file. */
  synchronized void check() {
    for (Component c : components()) {
      if (farm.isClosed()) return; // exits from now on are the teardown's
      Instant now = clock.instant();
      RestartTracker tracker =
          trackers.computeIfAbsent(c.name(), n -> new RestartTracker(policy, now));
      if (!tracker.waiting() && !c.alive().getAsBoolean()) noteExit(c, tracker, now);
      if (tracker.due(now)) restart(c, tracker);
      else if (!tracker.waiting()) states.put(c.name(), "up");
    }
    writeStatus();
  }

  private void noteExit(Component c, RestartTracker tracker, Instant now) {
    Duration wait = tracker.exited(now, c.exitCode().get());
    states.put(c.name(), "down, restart in " + wait.toSeconds() + " s");
    if (tracker.crashLooping()) {
      LOG.warn(
          "{} is crash-looping ({} exits in a row, last {}); retrying every {} s",
          c.name(),
          tracker.crashesInARow(),
          tracker.lastExit().orElse("?"),
          wait.toSeconds());
    } else {
      LOG.warn(
          "{} exited ({}); restarting it in {} s (restart {} of this farm)",
          c.name(),
          tracker.lastExit().orElse("?"),
          wait.toSeconds(),
          tracker.restarts() + 1);
    }
  }

  private void restart(Component c, RestartTracker tracker) {
    tracker.restarting();
    states.put(c.name(), "restarting");
    writeStatus();
    long t0 = System.nanoTime();
    try {
      c.restart().run();
      tracker.restarted(clock.instant());
      states.put(c.name(), "up");
      LOG.info(
          "{} restarted in {} (restart {}, pid {})",
          c.name(),
          StartupReport.seconds(Duration.ofNanos(System.nanoTime() - t0)),
          tracker.restarts(),
          currentPid(c.name()));
    } catch (RuntimeException e) {
      if (farm.isClosed()) return;
      Duration wait = tracker.restartFailed(clock.instant());
      states.put(c.name(), "down, restart in " + wait.toSeconds() + " s");
      LOG.warn(
          "{} did not come back ({}); retrying in {} s",
          c.name(),
          e.getMessage(),
          wait.toSeconds());
    }
  }

  /** The pid of the process now running as {@code name} (a restart replaced the component's). */
  private long currentPid(String name) {
    return components().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow()
        .pid()
        .getAsLong();
  }

  /** Infrastructure first: the services need it to start. */
  private List<Component> components() {
    var all = new ArrayList<Component>();
    farm.postgres()
        .ifPresent(
            pg ->
                all.add(
                    new Component(
                        "postgres",
                        () -> farm.postgres().orElseThrow().isAlive(),
                        () -> farm.postgres().orElseThrow().pid(),
                        OptionalInt::empty,
                        farm::restartPostgres)));
    farm.kafka()
        .ifPresent(
            k ->
                all.add(
                    new Component(
                        "kafka",
                        () -> farm.kafka().orElseThrow().isAlive(),
                        () -> farm.kafka().orElseThrow().pid(),
                        () -> farm.kafka().orElseThrow().process().exitCode(),
                        farm::restartKafka)));
    for (ServiceProcess p : farm.services()) {
      all.add(new Component(p.name(), p::isAlive, p::pid, p::exitCode, () -> farm.restart(p)));
    }
    return all;
  }

  private void writeStatus() {
    if (farm.isClosed()) return;
    var all = new ArrayList<ServiceStatus>();
    for (Component c : components()) {
      RestartTracker t = trackers.get(c.name());
      if (t == null) continue;
      all.add(
          new ServiceStatus(
              c.name(),
              c.pid().getAsLong(),
              states.getOrDefault(c.name(), "up"),
              t.restarts(),
              t.lastExit().orElse("-")));
    }
    ServiceStatus.write(farm.dir(), all);
  }

  /** Stops watching (the farm keeps running). */
  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
