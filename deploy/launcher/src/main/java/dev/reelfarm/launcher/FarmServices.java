package dev.reelfarm.launcher;

import dev.reelfarm.infra.ReadinessCheck;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ServiceStartException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The farm's service processes (orchestrator replicas, workers, encoder), how each is started
 * again, and the sign that it is ready: the live set that {@link LocalFarm} exposes, in which a
 * restarted service takes its predecessor's place.
 */
final class FarmServices {

  enum Role {
    ORCHESTRATOR,
    WORKER,
    ENCODER
  }

  /** A service as launched; {@code ready} makes a fresh check (log checks keep state). */
  private record Entry(Role role, ServiceProcess process, Supplier<ReadinessCheck> ready) {}

  private final FarmConfig config;
  private final StartGuard guard;
  private final Runnable onChange;
  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final AtomicInteger lastWorkerNumber = new AtomicInteger();
  private ServiceTopology topology;

  /** {@code onChange} runs whenever a process joins or replaces another (to record the pids). */
  FarmServices(FarmConfig config, StartGuard guard, Runnable onChange) {
    this.config = config;
    this.guard = guard;
    this.onChange = onChange;
  }

  /**
   * Starts every service at once (they only need PostgreSQL and Kafka) and awaits them in parallel,
   * so each one's start-up time is its own, not the sum.
   */
  void startAll(ServiceTopology topology, Map<String, Duration> timings) throws IOException {
    this.topology = topology;
    var checks = new LinkedHashMap<ServiceProcess, ReadinessCheck>();
    for (int i = 0; i < topology.orchestrators(); i++) {
      int replica = i;
      Supplier<ReadinessCheck> ready = () -> topology.orchestratorReady(replica);
      into(launch(Role.ORCHESTRATOR, topology.orchestrator(i), ready), checks);
    }
    for (int i = 0; i < config.workers; i++) into(launchWorker(Map.of()), checks);
    for (Path bundle : config.workerBundles)
      into(launchWorker(Map.of(ServiceTopology.MODEL_BUNDLE, bundle.toString())), checks);
    into(launch(Role.ENCODER, topology.encoder(), ServiceTopology::encoderReady), checks);
    onChange.run();
    FarmSupervisor.awaitReady(checks, config.startupTimeout, timings);
  }

  /**
   * Starts worker {@code worker-<n+1>}, with {@code ownProperties} on top of the farm's worker
   * settings, and waits until it is ready; stops it if it is not.
   */
  ServiceProcess addWorker(Map<String, String> ownProperties) {
    Entry worker;
    try {
      worker = launchWorker(ownProperties);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    onChange.run();
    try {
      return worker.process().awaitReady(worker.ready().get(), config.startupTimeout);
    } catch (ServiceStartException e) {
      worker.process().stop();
      entries.remove(worker);
      throw e;
    }
  }

  /**
   * Starts {@code service} again with the same settings (stopping it first if it is alive), puts
   * the new process in its place and waits until it is ready. A new process that is not ready in
   * time is stopped and stays in place, dead, so the farm can be asked to restart it again.
   *
   * @throws IllegalArgumentException when no service of this farm has that name
   * @throws ServiceStartException when it exits or is not ready within the start-up timeout
   */
  ServiceProcess restart(ServiceProcess service) {
    Entry current =
        entries.stream()
            .filter(e -> e.process().name().equals(service.name()))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("not a service of this farm: " + service));
    if (current.process().isAlive()) current.process().stop(config.stopGrace);
    ServiceProcess again;
    try {
      again = current.process().startAgain();
    } catch (IOException e) {
      throw new ServiceStartException(
          service.name(), "could not start again: " + e, service.logFile(), List.of(), e);
    }
    Entry replacement = new Entry(current.role(), again, current.ready());
    guard.keep(again, p -> entries.set(entries.indexOf(current), replacement));
    onChange.run();
    try {
      return again.awaitReady(current.ready().get(), config.startupTimeout);
    } catch (ServiceStartException e) {
      again.stop(config.stopGrace);
      throw e;
    }
  }

  private Entry launchWorker(Map<String, String> ownProperties) throws IOException {
    String id = "worker-" + lastWorkerNumber.incrementAndGet();
    return launch(
        Role.WORKER,
        topology.worker(id).systemProperties(ownProperties),
        ServiceTopology::workerReady);
  }

  /** Launches the process and records it at once, so that close() during start-up stops it too. */
  private Entry launch(Role role, ServiceProcess.Builder builder, Supplier<ReadinessCheck> ready)
      throws IOException {
    Entry entry = new Entry(role, builder.start(), ready);
    guard.keep(entry.process(), p -> entries.add(entry)); // the process is what close() stops
    return entry;
  }

  /** The API of each orchestrator replica, the first on the farm's HTTP port. */
  List<URI> apiBases() {
    return IntStream.range(0, topology.orchestrators()).mapToObj(topology::apiBase).toList();
  }

  /** The processes of {@code role}, in start order (a restarted one keeps its place). */
  List<ServiceProcess> of(Role role) {
    return entries.stream().filter(e -> e.role() == role).map(Entry::process).toList();
  }

  /** Every process: orchestrators, workers, encoder. */
  List<ServiceProcess> all() {
    return entries.stream().sorted(Comparator.comparing(Entry::role)).map(Entry::process).toList();
  }

  private static void into(Entry entry, Map<ServiceProcess, ReadinessCheck> checks) {
    checks.put(entry.process(), entry.ready().get());
  }
}
