package dev.reelfarm.launcher;

import dev.reelfarm.infra.EmbeddedPostgresServer;
import dev.reelfarm.infra.KafkaBroker;
import dev.reelfarm.infra.Ports;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ServiceStartException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole render farm on this machine: a real PostgreSQL and a real Kafka broker (unless external
 * ones are configured), one or more orchestrator replicas, N workers and one encoder, each service
 * a child JVM with its log under {@code <dir>/logs}. Every component can be killed and restarted
 * ({@link #restart}, {@link #restartKafka}, {@link #restartPostgres}); {@link FarmWatchdog} does it
 * by itself for {@code reelfarm up}.
 *
 * <p>A fresh farm (the default) wipes the database, the broker's data and the artifacts under the
 * farm directory first; {@code fresh(false)} keeps them, so the jobs of the farm that ran there
 * before continue. One farm at a time may use a directory (a lock file enforces it). Closing stops
 * the services (SIGTERM, then SIGKILL after a grace period), then Kafka, then PostgreSQL; a JVM
 * shutdown hook does the same on Ctrl-C, and a second signal while that runs waits for it instead
 * of ending the launcher halfway. Processes left behind by a farm whose launcher was killed with
 * SIGKILL are stopped at the next start in the same directory.
 *
 * <p>The jobs are split: {@link FarmDirectory} (lock, leftovers, state), {@link FarmInfrastructure}
 * (PostgreSQL and Kafka), {@link ServiceTopology} (which services, with what settings), {@link
 * FarmServices} (the live service processes and their restarts), {@link FarmSupervisor} (readiness
 * and exits), {@link ModelChoice} (which model); this class sequences them.
 *
 * <pre>{@code
 * try (LocalFarm farm = LocalFarm.builder().workers(2).start()) {
 *   URI api = farm.apiBase();
 *   farm.workers().get(0).killHard();
 * }
 * }</pre>
 */
public final class LocalFarm implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalFarm.class);

  private final FarmConfig config;
  private final RepoLayout layout;
  private final FarmDirectory dir;
  private final int httpPort;
  private final StartGuard guard = new StartGuard();
  private final FarmInfrastructure infrastructure = new FarmInfrastructure();
  private final FarmServices services;
  private final Map<String, Duration> timings = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Thread shutdownHook = new Thread(this::close, "reelfarm-local-farm-shutdown");
  private final CountDownLatch closed = new CountDownLatch(1);

  private ModelChoice model;
  private String joinToken;
  private Duration startupTime;
  private String adminKey;

  private LocalFarm(FarmConfig config) {
    this.config = config;
    this.layout = config.layout != null ? config.layout : RepoLayout.locate();
    this.dir = new FarmDirectory(config.dir != null ? config.dir : layout.defaultFarmDir());
    this.httpPort = config.httpPort != 0 ? config.httpPort : Ports.free();
    this.services = new FarmServices(config, guard, this::writePids);
  }

  public static FarmConfig builder() {
    return new FarmConfig();
  }

  /** Starts a farm as {@link FarmConfig#start()} documents. */
  static LocalFarm start(FarmConfig config) {
    return new LocalFarm(config).start();
  }

  private LocalFarm start() {
    long t0 = System.nanoTime();
    try {
      layout.requireServiceJars();
      model = ModelChoice.choose(config.modelBundle, config.useEnvironment, layout);
      if (config.httpPort != 0 && Ports.listening(config.httpPort)) {
        throw new ServiceStartException(
            "orchestrator",
            "port "
                + config.httpPort
                + " on 127.0.0.1 is already in use (another farm?); pick"
                + " another with --port",
            null,
            List.of());
      }
      dir.claim(config.fresh);
      joinToken = config.serviceProperties.get(JoinToken.PROPERTY);
      if (joinToken == null) joinToken = JoinToken.readOrCreate(dir.joinToken());
      config.orchestratorProperties.putIfAbsent(JoinToken.PROPERTY, joinToken);
      adminKey = dir.adminKey();
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      if (model.testFixture()) {
        LOG.warn(
            "model bundle {} is a TEST FIXTURE with random weights, not the default model {}:"
                + " clips will be noise",
            model.bundle().startsWith(layout.root())
                ? layout.root().relativize(model.bundle())
                : model.bundle(),
            RepoLayout.DEFAULT_BUNDLE);
      }
      infrastructure.start(config, dir, guard, timings);
      writePids();
      services.startAll(
          new ServiceTopology(config, layout, dir, infrastructure, model.bundle(), httpPort),
          timings);
      LOG.info("orchestrator ready at {}", apiBase());
      startupTime = Duration.ofNanos(System.nanoTime() - t0);
      timings.put("total", startupTime);
      LOG.info("local farm ready in {}: {}", StartupReport.seconds(startupTime), describeTimings());
      return this;
    } catch (RuntimeException | IOException e) {
      close();
      if (e instanceof ServiceStartException sse) throw sse;
      throw new ServiceStartException("farm", e.toString(), null, List.of(), e);
    }
  }

  /**
   * Starts one more worker ({@code worker-<n+1>}) and waits until it is ready.
   *
   * @throws ServiceStartException when it exits or is not ready within the start-up timeout
   */
  public ServiceProcess addWorker() {
    return addWorker(Map.of());
  }

  /**
   * {@link #addWorker()} with properties of this worker alone on top of the farm's (e.g. a fault
   * injected into one worker of a test farm); a {@link #restart} keeps them.
   */
  public ServiceProcess addWorker(Map<String, String> ownProperties) {
    ServiceProcess worker = services.addWorker(ownProperties);
    timings.put(worker.name(), worker.startupTime().orElseThrow());
    return worker;
  }

  /**
   * Starts {@code service} (an orchestrator, a worker or the encoder of this farm, alive or not)
   * again: same name, settings and ports, stopped first if it is alive, its log appended to. The
   * new process takes the old one's place in {@link #orchestrators()}, {@link #workers()} or {@link
   * #encoder()}; returns it once it is ready.
   *
   * @throws ServiceStartException when it exits or is not ready within the start-up timeout
   */
  public ServiceProcess restart(ServiceProcess service) {
    return services.restart(service);
  }

  /** {@code kill -9} of the embedded Kafka broker. */
  public void killKafka() {
    infrastructure.killKafka();
  }

  /** Starts the embedded broker again on its port and data (topics, records, offsets kept). */
  public void restartKafka() {
    infrastructure.restartKafka(guard);
    writePids();
  }

  /** {@code kill -9} of the embedded PostgreSQL: the postmaster and its backends. */
  public void killPostgres() {
    infrastructure.killPostgres();
  }

  /** Starts the embedded PostgreSQL again on its port and data, after crash recovery. */
  public void restartPostgres() {
    infrastructure.restartPostgres(guard);
  }

  private void writePids() {
    var pids = new LinkedHashMap<String, Long>();
    infrastructure.kafka().ifPresent(k -> pids.put("kafka", k.pid()));
    for (ServiceProcess p : services()) pids.put(p.name(), p.pid());
    dir.writePids(pids);
  }

  /** http://127.0.0.1:&lt;port&gt; of the orchestrator (REST API, dashboard, /q/health). */
  public URI apiBase() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** The API at the advertised host ({@link FarmConfig#advertise}), else {@link #apiBase()}. */
  public URI joinApi() {
    return config
        .advertisedHost
        .map(h -> URI.create("http://" + h + ":" + httpPort))
        .orElse(apiBase());
  }

  /** The farm's admin API key (also in {@code <dir>/admin.key}): an admin of the default team. */
  public String adminKey() {
    return adminKey;
  }

  /** The admin key of the farm in {@code farmDir}, if one started there. */
  public static Optional<String> adminKeyIn(Path farmDir) {
    return FarmDirectory.readAdminKey(farmDir);
  }

  /** The API of every orchestrator replica; the first is {@link #apiBase()}. */
  public List<URI> apiBases() {
    return services.apiBases();
  }

  /** The token {@code worker --join}s send: {@code -Dreelfarm.join.token}, else the directory's. */
  public String joinToken() {
    return joinToken;
  }

  public int httpPort() {
    return httpPort;
  }

  public String jdbcUrl() {
    return infrastructure.jdbcUrl();
  }

  /** May be null with an external database configured without a user. */
  public String dbUser() {
    return infrastructure.dbUser();
  }

  /** May be null with an external database configured without a password. */
  public String dbPassword() {
    return infrastructure.dbPassword();
  }

  /** Kafka {@code bootstrap.servers}. */
  public String bootstrap() {
    return infrastructure.bootstrap();
  }

  public Path dir() {
    return dir.path();
  }

  public Path logsDir() {
    return dir.logs();
  }

  /** Where services write frames, latents, MP4s and posters with the filesystem store. */
  public Path artifactsDir() {
    return dir.artifacts();
  }

  /** The artifact store in one line: the directory, or the S3 endpoint and bucket. */
  public String artifactStore() {
    return infrastructure.artifacts().describe(dir.artifacts());
  }

  /** The S3 endpoint the services use; empty with the filesystem store. */
  public Optional<String> s3Endpoint() {
    return infrastructure.artifacts().endpoint();
  }

  public Path modelBundle() {
    return model.bundle();
  }

  /** True when the model is a random-weights test fixture, not the trained default model. */
  public boolean modelIsTestFixture() {
    return model.testFixture();
  }

  public RepoLayout layout() {
    return layout;
  }

  /** The first orchestrator replica, whose API is {@link #apiBase()}. */
  public ServiceProcess orchestrator() {
    List<ServiceProcess> all = orchestrators();
    return all.isEmpty() ? null : all.get(0);
  }

  /** The orchestrator replicas: {@code orchestrator}, {@code orchestrator-2}, …. */
  public List<ServiceProcess> orchestrators() {
    return services.of(FarmServices.Role.ORCHESTRATOR);
  }

  /** The workers in start order, including any that were killed since (check isAlive). */
  public List<ServiceProcess> workers() {
    return services.of(FarmServices.Role.WORKER);
  }

  public ServiceProcess encoder() {
    List<ServiceProcess> encoder = services.of(FarmServices.Role.ENCODER);
    return encoder.isEmpty() ? null : encoder.get(0);
  }

  /** The service processes: orchestrators, workers, encoder (those started so far). */
  public List<ServiceProcess> services() {
    return services.all();
  }

  /** The embedded broker, empty when an external Kafka is used. */
  public Optional<KafkaBroker> kafka() {
    return infrastructure.kafka();
  }

  /** The embedded database, empty when an external PostgreSQL is used. */
  public Optional<EmbeddedPostgresServer> postgres() {
    return infrastructure.postgres();
  }

  /**
   * Start-up time per component, in start order: {@code postgres}, {@code kafka} (absent when
   * external), {@code orchestrator}, {@code worker-1}…, {@code encoder}, and {@code total}. The
   * infrastructure starts in parallel, then the services in parallel, so the total is less than the
   * sum.
   */
  public Map<String, Duration> startupTimings() {
    synchronized (timings) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }
  }

  /** Whether {@link #close()} has begun (processes exiting from then on are expected). */
  public boolean isClosed() {
    return guard.isClosed();
  }

  /**
   * The first component whose death means unfinished jobs can no longer finish, as a message: its
   * exit code and log on the first line, then the log's tail. Dead workers only count when {@code
   * workersStillNeeded} (a job that is already encoding no longer needs them).
   */
  public Optional<String> failedComponent(boolean workersStillNeeded) {
    var essential = new ArrayList<>(orchestrators());
    essential.add(encoder());
    return FarmSupervisor.failedComponent(essential, kafka(), workers(), workersStillNeeded);
  }

  /** From {@link FarmConfig#start()} until every component was ready. */
  public Duration startupTime() {
    return startupTime;
  }

  public String describeTimings() {
    return StartupReport.describe(startupTimings());
  }

  /**
   * Stops the encoder, the workers and the orchestrators (SIGTERM to all, SIGKILL after the grace
   * period), then Kafka, then PostgreSQL. Idempotent; safe to call from any thread. A call while
   * another runs returns when that one is done: the shutdown hook of a signal that arrives during a
   * teardown must not let the JVM end before Kafka and PostgreSQL are stopped.
   */
  @Override
  public void close() {
    if (!guard.close()) {
      awaitClosed();
      return;
    }
    try {
      stopEverything();
    } finally {
      closed.countDown();
    }
  }

  private void awaitClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopEverything() {
    List<ServiceProcess> services = new ArrayList<>(services());
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // JVM already shutting down, or the hook was never added: nothing to remove.
      }
    }
    Collections.reverse(services); // encoder, workers (newest first), orchestrator
    services.forEach(ServiceProcess::requestStop);
    services.forEach(s -> s.awaitStop(config.stopGrace));
    infrastructure.stop();
    dir.release();
  }
}
