package dev.reelfarm.launcher;

import dev.reelfarm.infra.KafkaBroker;
import dev.reelfarm.infra.ReadinessCheck;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ServiceStartException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Readiness of the farm's processes at start-up, and which exit leaves the farm unable to work. */
final class FarmSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(FarmSupervisor.class);

  private FarmSupervisor() {}

  /**
   * Waits for all in parallel; the first failure, in time order, is thrown at once. Start-up times
   * go to {@code timings}, in the map's order.
   */
  static void awaitReady(
      Map<ServiceProcess, ReadinessCheck> checks, Duration timeout, Map<String, Duration> timings) {
    ExecutorService pool = Executors.newFixedThreadPool(checks.size(), daemon("reelfarm-ready"));
    var completion = new ExecutorCompletionService<ServiceProcess>(pool);
    try {
      for (var e : checks.entrySet()) {
        Callable<ServiceProcess> wait = () -> e.getKey().awaitReady(e.getValue(), timeout);
        completion.submit(wait);
      }
      for (int i = 0; i < checks.size(); i++) {
        ServiceProcess p = await(completion.take(), "service", null);
        LOG.info("{} ready in {}", p.name(), StartupReport.seconds(p.startupTime().orElseThrow()));
      }
      for (ServiceProcess p : checks.keySet()) timings.put(p.name(), p.startupTime().orElseThrow());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceStartException("farm", "interrupted during start-up", null, List.of(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The future's value, or the {@link ServiceStartException} that says why {@code component}
   * failed.
   */
  static <T> T await(Future<T> future, String component, Path log) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceStartException(component, "interrupted", log, List.of(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ServiceStartException sse) throw sse;
      throw new ServiceStartException(
          component, String.valueOf(cause.getMessage()), log, ServiceProcess.tail(log, 30), cause);
    }
  }

  /**
   * The first component whose death means unfinished jobs can no longer finish, as a message: its
   * exit code and log on the first line, then the log's tail. Dead workers only count when {@code
   * workersStillNeeded}.
   */
  static Optional<String> failedComponent(
      List<ServiceProcess> essential,
      Optional<KafkaBroker> kafka,
      List<ServiceProcess> workers,
      boolean workersStillNeeded) {
    for (ServiceProcess p : essential) {
      if (!p.isAlive()) return Optional.of(exited(p));
    }
    if (kafka.isPresent() && !kafka.get().isAlive())
      return Optional.of(exited(kafka.get().process()));
    if (workersStillNeeded
        && !workers.isEmpty()
        && workers.stream().noneMatch(ServiceProcess::isAlive)) {
      return Optional.of("every worker exited; " + exited(workers.get(workers.size() - 1)));
    }
    return Optional.empty();
  }

  private static String exited(ServiceProcess p) {
    var sb = new StringBuilder();
    sb.append(p.name()).append(" exited with code ").append(p.exitCode().orElse(-1));
    sb.append("; log ").append(p.logFile());
    for (String line : p.logTail(20)) sb.append("\n    | ").append(line);
    return sb.toString();
  }

  static ThreadFactory daemon(String name) {
    var n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
