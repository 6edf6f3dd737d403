package dev.reelfarm.deploy.local;

import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ReadinessCheck;
import dev.reelfarm.infra.Processes;
import dev.reelfarm.infra.Ports;
import dev.reelfarm.infra.ServiceStartException;
import dev.reelfarm.infra.EmbeddedPostgresServer;
import dev.reelfarm.infra.KafkaBroker;
import dev.reelfarm.infra.TopicSpec;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole render farm on this machine: a real PostgreSQL and a real Kafka broker (unless external
 * ones are configured), the orchestrator, N workers and one encoder, each service a child JVM with
 * its log under {@code <dir>/logs}.
 *
 * <p>Every start is a fresh farm: the database, the broker's data and the artifacts under the farm
 * directory are wiped first. One farm at a time may use a directory (a lock file enforces it).
 * Closing stops the services (SIGTERM, then SIGKILL after a grace period), then Kafka, then
 * PostgreSQL; a JVM shutdown hook does the same on Ctrl-C. Processes left behind by a farm whose
 * launcher was killed with SIGKILL are stopped at the next start in the same directory.
 *
 * <pre>{@code
 * try (LocalFarm farm = LocalFarm.builder().workers(2).start()) {
 *   URI api = farm.apiBase();
 *   farm.workers().get(0).killHard();
 * }
 * }</pre>
 */
public final class LocalFarm implements AutoCloseable {

  /** The line a worker prints once it consumes tasks. */
  public static final String WORKER_READY_LINE = "worker ready";

  /** CPU priority of the encoder below the workers ({@code nice -n}). */
  static final int ENCODER_NICENESS = 19;

  /** The line the encoder prints once it consumes tasks. */
  public static final String ENCODER_READY_LINE = "encoder ready";

  private static final Logger LOG = LoggerFactory.getLogger(LocalFarm.class);

  private final Builder config;
  private final RepoLayout layout;
  private final Path dir;
  private final Path logsDir;
  private final Path artifactsDir;
  private Path modelBundle;
  private boolean modelIsTestFixture;
  private final int httpPort;
  private final Map<String, Duration> timings = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<ServiceProcess> workers = new CopyOnWriteArrayList<>();
  private final AtomicInteger lastWorkerNumber = new AtomicInteger();
  private final Thread shutdownHook = new Thread(this::close, "reelfarm-local-farm-shutdown");

  private FileChannel lockChannel;
  private FileLock lock;
  private boolean closed;
  private EmbeddedPostgresServer postgres;
  private KafkaBroker kafka;
  private ServiceProcess orchestrator;
  private ServiceProcess encoder;
  private String jdbcUrl;
  private String dbUser;
  private String dbPassword;
  private String bootstrap;
  private Duration startupTime;

  private LocalFarm(Builder config) {
    this.config = config;
    this.layout = config.layout != null ? config.layout : RepoLayout.locate();
    this.dir =
        (config.dir != null ? config.dir : layout.defaultFarmDir()).toAbsolutePath().normalize();
    this.logsDir = dir.resolve("logs");
    this.artifactsDir = dir.resolve("artifacts");
    this.httpPort = config.httpPort != 0 ? config.httpPort : Ports.free();
  }

  public static Builder builder() {
    return new Builder();
  }

  private LocalFarm start() {
    long t0 = System.nanoTime();
    try {
      checkBuilt();
      RepoLayout.ModelChoice model = chooseModel(config, layout);
      modelBundle = model.bundle().toAbsolutePath().normalize();
      modelIsTestFixture = model.testFixture();
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
      prepareDirectory();
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      if (modelIsTestFixture) {
        LOG.warn(
            "model bundle {} is a TEST FIXTURE with random weights, not the default model {}:"
                + " clips will be noise",
            modelBundle.startsWith(layout.root())
                ? layout.root().relativize(modelBundle)
                : modelBundle,
            RepoLayout.DEFAULT_BUNDLE);
      }
      startInfrastructure();
      startServices();
      startupTime = Duration.ofNanos(System.nanoTime() - t0);
      timings.put("total", startupTime);
      LOG.info("local farm ready in {}: {}", seconds(startupTime), describeTimings());
      return this;
    } catch (RuntimeException | IOException e) {
      close();
      if (e instanceof ServiceStartException sse) throw sse;
      throw new ServiceStartException("farm", e.toString(), null, List.of(), e);
    }
  }

  private static RepoLayout.ModelChoice chooseModel(Builder config, RepoLayout layout) {
    Path explicit = config.modelBundle;
    if (explicit == null && config.useEnvironment) {
      String setting = Settings.string("reelfarm.model.bundle", null);
      if (setting != null) explicit = layout.root().resolve(setting);
    }
    if (explicit != null) {
      if (!RepoLayout.isBundle(explicit)) {
        throw new ServiceStartException(
            "worker", "model bundle " + explicit + " has no bundle.json", null, List.of());
      }
      Path normalized = explicit.toAbsolutePath().normalize();
      return new RepoLayout.ModelChoice(
          normalized, normalized.equals(layout.root().resolve(RepoLayout.FIXTURE_BUNDLE)));
    }
    return layout
        .defaultModel()
        .orElseThrow(
            () ->
                new ServiceStartException(
                    "worker",
                    "no model bundle: neither "
                        + RepoLayout.DEFAULT_BUNDLE
                        + "/bundle.json nor the test fixture "
                        + RepoLayout.FIXTURE_BUNDLE
                        + "/bundle.json exists under "
                        + layout.root()
                        + " (pass --model <dir>)",
                    null,
                    List.of()));
  }

  private void checkBuilt() {
    List<String> missing = layout.missingServiceJars();
    if (!missing.isEmpty()) {
      throw new ServiceStartException(
          missing.get(0).substring(0, missing.get(0).indexOf('/')),
          "not built: "
              + String.join(", ", missing)
              + " missing. Run ./mvnw -B install -DskipTests in "
              + layout.root()
              + " (./reelfarm builds what is missing by itself)",
          null,
          List.of());
    }
  }

  /** Takes the directory's lock, stops leftovers of a killed farm, wipes the previous state. */
  private void prepareDirectory() throws IOException {
    Files.createDirectories(dir);
    Path lockFile = dir.resolve("farm.lock");
    lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another farm in this JVM
    }
    if (lock == null) {
      String owner = readOrEmpty(dir.resolve("farm.pid")).strip();
      lockChannel.close();
      lockChannel = null;
      throw new ServiceStartException(
          "farm",
          "another local farm is running from "
              + dir
              + (owner.isEmpty() ? "" : " (launcher pid " + owner + ")")
              + "; stop it, or submit to it with --api http://127.0.0.1:<port>",
          null,
          List.of());
    }
    Files.writeString(dir.resolve("farm.pid"), ProcessHandle.current().pid() + "\n");
    stopLeftovers();
    for (String state : List.of("pg", "kafka", "artifacts", "logs"))
      deleteRecursively(dir.resolve(state));
    Files.createDirectories(logsDir);
    Files.createDirectories(artifactsDir);
  }

  /**
   * A launcher killed with SIGKILL runs no shutdown hook and leaves its children running. Their
   * pids are in {@code pids}; a process is only stopped if its command line still names this
   * directory, so a recycled pid is never touched.
   */
  private void stopLeftovers() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String line : readOrEmpty(dir.resolve("pids")).split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2) pids.add(Long.parseLong(parts[1]));
    }
    String postmaster =
        readOrEmpty(dir.resolve("pg/postmaster.pid")).lines().findFirst().orElse("");
    if (postmaster.matches("\\d+")) pids.add(Long.parseLong(postmaster));
    String marker = dir.toString() + java.io.File.separator;
    List<ProcessHandle> leftovers =
        pids.stream()
            .map(ProcessHandle::of)
            .flatMap(Optional::stream)
            .filter(Processes::isRunning)
            .filter(p -> Processes.commandLine(p).map(c -> c.contains(marker)).orElse(false))
            .toList();
    if (!leftovers.isEmpty()) {
      LOG.warn(
          "stopping {} process(es) left running by a previous farm in {}: pids {}",
          leftovers.size(),
          dir,
          leftovers.stream().map(ProcessHandle::pid).toList());
      List<ProcessHandle> left = Processes.kill(leftovers, Duration.ofSeconds(10));
      if (!left.isEmpty())
        LOG.warn(
            "still running after SIGKILL: pids {}", left.stream().map(ProcessHandle::pid).toList());
    }
    Files.deleteIfExists(dir.resolve("pids"));
  }

  private void startInfrastructure() throws IOException {
    String externalDb = config.useEnvironment ? Settings.string("reelfarm.db.url", null) : null;
    if (config.externalDbUrl != null) externalDb = config.externalDbUrl;
    String externalKafka =
        config.useEnvironment ? Settings.string("reelfarm.kafka.bootstrap", null) : null;
    if (config.externalBootstrap != null) externalKafka = config.externalBootstrap;

    ExecutorService pool = Executors.newFixedThreadPool(2, daemon("reelfarm-infra"));
    try {
      Future<EmbeddedPostgresServer> pg =
          externalDb != null
              ? null
              : pool.submit(
                  () ->
                      EmbeddedPostgresServer.start(
                          dir.resolve("pg"), logsDir.resolve("postgres.log")));
      Future<KafkaBroker> broker =
          externalKafka != null
              ? null
              : pool.submit(
                  () -> KafkaBroker.start(dir.resolve("kafka"), logsDir.resolve("kafka.log"), farmTopics()));
      RuntimeException failure = null;
      if (pg != null) {
        try {
          EmbeddedPostgresServer server =
              register(await(pg, "postgres", logsDir.resolve("postgres.log")));
          synchronized (this) {
            postgres = server;
          }
          timings.put("postgres", server.startupTime());
          LOG.info("postgres ready in {} at {}", seconds(server.startupTime()), server.jdbcUrl());
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      if (broker != null) {
        try {
          KafkaBroker started = register(await(broker, "kafka", logsDir.resolve("kafka.log")));
          synchronized (this) {
            kafka = started;
          }
          timings.put("kafka", started.startupTime());
          LOG.info("kafka ready in {} at {}", seconds(started.startupTime()), started.bootstrap());
        } catch (RuntimeException e) {
          if (failure == null) failure = e;
          else failure.addSuppressed(e);
        }
      }
      if (failure != null) throw failure;
    } finally {
      pool.shutdown();
    }

    if (postgres != null) {
      jdbcUrl = postgres.jdbcUrl();
      dbUser = postgres.user();
      dbPassword = postgres.password();
    } else {
      jdbcUrl = externalDb;
      dbUser =
          config.externalDbUrl != null
              ? config.externalDbUser
              : Settings.string("reelfarm.db.user", null);
      dbPassword =
          config.externalDbUrl != null
              ? config.externalDbPassword
              : Settings.string("reelfarm.db.password", null);
      LOG.info("using external PostgreSQL {}", jdbcUrl);
    }
    if (kafka != null) {
      bootstrap = kafka.bootstrap();
    } else {
      bootstrap = externalKafka;
      LOG.info("using external Kafka {}", bootstrap);
      KafkaBroker.ensureTopics(bootstrap, farmTopics());
    }
    writePids();
  }

  /** Every farm topic with its partition count; only chunk tasks need no per-key order. */
  static List<TopicSpec> farmTopics() {
    return Topics.all().stream()
        .map(t -> new TopicSpec(t, Topics.partitions(t), t.equals(Topics.CHUNK_TASKS)))
        .toList();
  }

  private <T> T await(Future<T> future, String component, Path log) {
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

  private void startServices() throws IOException {
    // All services start at once (they only need PostgreSQL and Kafka) and are awaited in parallel,
    // so each one's start-up time is its own, not the sum.
    ServiceProcess orch =
        register(
            service("orchestrator", layout.orchestratorJar())
                .systemProperty("quarkus.http.port", Integer.toString(httpPort))
                .systemProperty("quarkus.http.host", "127.0.0.1")
                .systemProperties(dbProperties())
                .systemProperties(config.orchestratorProperties)
                .start());
    synchronized (this) {
      orchestrator = orch;
    }
    var pending = new ArrayList<ServiceProcess>();
    for (int i = 0; i < config.workers; i++) {
      ServiceProcess worker = launchWorker();
      workers.add(worker); // now, so that close() during start-up stops it too
      pending.add(worker);
    }
    ServiceProcess enc =
        register(
            service("encoder", layout.encoderJar())
                // Encoding ahead may lag without delaying the clip, rendering may not: on a
                // machine the workers share with the encoder, the encoder gets the idle CPU.
                .niceness(ENCODER_NICENESS)
                .systemProperty("reelfarm.encoder.id", "encoder-1")
                .systemProperties(dbProperties())
                .systemProperties(config.encoderProperties)
                .start());
    synchronized (this) {
      encoder = enc;
    }
    writePids();

    var checks = new LinkedHashMap<ServiceProcess, ReadinessCheck>();
    checks.put(orch, ReadinessCheck.httpOk(apiBase().resolve("/q/health/ready")));
    for (ServiceProcess w : pending) checks.put(w, ReadinessCheck.logLine(WORKER_READY_LINE));
    checks.put(enc, ReadinessCheck.logLine(ENCODER_READY_LINE));
    awaitAll(checks);
    LOG.info("orchestrator ready at {}", apiBase());
  }

  /** Waits for all in parallel; the first failure, in time order, is thrown at once. */
  private void awaitAll(Map<ServiceProcess, ReadinessCheck> checks) {
    ExecutorService pool = Executors.newFixedThreadPool(checks.size(), daemon("reelfarm-ready"));
    var completion = new ExecutorCompletionService<ServiceProcess>(pool);
    try {
      for (var e : checks.entrySet()) {
        Callable<ServiceProcess> wait =
            () -> e.getKey().awaitReady(e.getValue(), config.startupTimeout);
        completion.submit(wait);
      }
      for (int i = 0; i < checks.size(); i++) {
        ServiceProcess p = await(completion.take(), "service", null);
        LOG.info("{} ready in {}", p.name(), seconds(p.startupTime().orElseThrow()));
      }
      for (ServiceProcess p : checks.keySet()) timings.put(p.name(), p.startupTime().orElseThrow());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceStartException("farm", "interrupted during start-up", null, List.of(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private ServiceProcess launchWorker() throws IOException {
    String id = "worker-" + lastWorkerNumber.incrementAndGet();
    return register(
        service(id, layout.workerJar())
            .systemProperty("reelfarm.worker.id", id)
            .systemProperty("reelfarm.worker.threads", Integer.toString(config.workerThreads))
            .systemProperties(config.workerProperties)
            .start());
  }

  private ServiceProcess.Builder service(String name, Path jar) {
    return ServiceProcess.builder(name)
        .jar(jar)
        .jvmArgs(config.serviceJvmArgs.toArray(String[]::new))
        .systemProperty("reelfarm.kafka.bootstrap", bootstrap)
        .systemProperty("reelfarm.artifacts.dir", artifactsDir.toString())
        .systemProperty("reelfarm.model.bundle", modelBundle.toString())
        .systemProperties(config.serviceProperties)
        .workingDirectory(layout.root())
        .logFile(logsDir.resolve(name + ".log"));
  }

  private Map<String, String> dbProperties() {
    var p = new LinkedHashMap<String, String>();
    p.put("reelfarm.db.url", jdbcUrl);
    if (dbUser != null) p.put("reelfarm.db.user", dbUser);
    if (dbPassword != null) p.put("reelfarm.db.password", dbPassword);
    return p;
  }

  /**
   * Starts one more worker ({@code worker-<n+1>}) and waits until it is ready.
   *
   * @throws ServiceStartException when it exits or is not ready within the start-up timeout
   */
  public ServiceProcess addWorker() {
    ServiceProcess worker;
    try {
      worker = launchWorker();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    workers.add(worker);
    try {
      worker.awaitReady(ReadinessCheck.logLine(WORKER_READY_LINE), config.startupTimeout);
    } catch (ServiceStartException e) {
      worker.stop();
      workers.remove(worker);
      throw e;
    }
    timings.put(worker.name(), worker.startupTime().orElseThrow());
    writePids();
    return worker;
  }

  /** Stores a component unless the farm is already closing (Ctrl-C during start), then stops it. */
  private synchronized <T> T register(T component) {
    if (closed) {
      stopQuietly(component);
      throw new ServiceStartException("farm", "stopped during start-up", null, List.of());
    }
    return component;
  }

  private void writePids() {
    var sb = new StringBuilder();
    if (kafka != null) sb.append("kafka ").append(kafka.pid()).append('\n');
    for (ServiceProcess p : services())
      sb.append(p.name()).append(' ').append(p.pid()).append('\n');
    try {
      Files.writeString(dir.resolve("pids"), sb.toString());
    } catch (IOException e) {
      LOG.warn("could not write {}: {}", dir.resolve("pids"), e.toString());
    }
  }

  /** http://127.0.0.1:&lt;port&gt; of the orchestrator (REST API, dashboard, /q/health). */
  public URI apiBase() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  public int httpPort() {
    return httpPort;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** May be null with an external database configured without a user. */
  public String dbUser() {
    return dbUser;
  }

  /** May be null with an external database configured without a password. */
  public String dbPassword() {
    return dbPassword;
  }

  /** Kafka {@code bootstrap.servers}. */
  public String bootstrap() {
    return bootstrap;
  }

  public Path dir() {
    return dir;
  }

  public Path logsDir() {
    return logsDir;
  }

  /** Where services write frames, latents, MP4s and posters. */
  public Path artifactsDir() {
    return artifactsDir;
  }

  public Path modelBundle() {
    return modelBundle;
  }

  /** True when the model is the random-weights test fixture, not the trained default model. */
  public boolean modelIsTestFixture() {
    return modelIsTestFixture;
  }

  public RepoLayout layout() {
    return layout;
  }

  public ServiceProcess orchestrator() {
    return orchestrator;
  }

  /** The workers in start order, including any that were killed since (check isAlive). */
  public List<ServiceProcess> workers() {
    return List.copyOf(workers);
  }

  public ServiceProcess encoder() {
    return encoder;
  }

  /** The service processes: orchestrator, workers, encoder (those started so far). */
  public synchronized List<ServiceProcess> services() {
    var all = new ArrayList<ServiceProcess>();
    if (orchestrator != null) all.add(orchestrator);
    all.addAll(workers);
    if (encoder != null) all.add(encoder);
    return all;
  }

  /** The embedded broker, empty when an external Kafka is used. */
  public Optional<KafkaBroker> kafka() {
    return Optional.ofNullable(kafka);
  }

  /** The embedded database, empty when an external PostgreSQL is used. */
  public Optional<EmbeddedPostgresServer> postgres() {
    return Optional.ofNullable(postgres);
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
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * The first component whose death means unfinished jobs can no longer finish, as a message: its
   * exit code and log on the first line, then the log's tail. Dead workers only count when {@code
   * workersStillNeeded} (a job that is already encoding no longer needs them).
   */
  public Optional<String> failedComponent(boolean workersStillNeeded) {
    for (ServiceProcess p : List.of(orchestrator, encoder)) {
      if (!p.isAlive()) return Optional.of(exited(p));
    }
    if (kafka != null && !kafka.isAlive()) return Optional.of(exited(kafka.process()));
    List<ServiceProcess> all = workers();
    if (workersStillNeeded && !all.isEmpty() && all.stream().noneMatch(ServiceProcess::isAlive)) {
      return Optional.of("every worker exited; " + exited(all.get(all.size() - 1)));
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

  /** From {@link Builder#start()} until every component was ready. */
  public Duration startupTime() {
    return startupTime;
  }

  public String describeTimings() {
    var sb = new StringBuilder();
    startupTimings()
        .forEach(
            (name, d) -> {
              if (name.equals("total")) return;
              if (sb.length() > 0) sb.append(", ");
              sb.append(name).append(' ').append(seconds(d));
            });
    return sb.toString();
  }

  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /**
   * Stops the encoder, the workers and the orchestrator (SIGTERM to all, SIGKILL after the grace
   * period), then Kafka, then PostgreSQL. Idempotent; safe to call from any thread.
   */
  @Override
  public void close() {
    List<ServiceProcess> services;
    KafkaBroker broker;
    EmbeddedPostgresServer pg;
    synchronized (this) {
      if (closed) return;
      closed = true;
      services = new ArrayList<>(services());
      broker = kafka;
      pg = postgres;
    }
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
    if (broker != null) stopQuietly(broker);
    if (pg != null) stopQuietly(pg);
    try {
      if (lock != null) {
        // Only the lock holder's files: a farm refused for the lock must not touch them.
        Files.deleteIfExists(dir.resolve("pids"));
        Files.deleteIfExists(dir.resolve("farm.pid"));
        lock.release();
      }
      if (lockChannel != null) lockChannel.close();
    } catch (IOException e) {
      LOG.warn("could not release the lock on {}: {}", dir, e.toString());
    }
  }

  private static void stopQuietly(Object component) {
    try {
      if (component instanceof AutoCloseable c) c.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", component, e.toString());
    }
  }

  private static String readOrEmpty(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    var n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configuration of a {@link LocalFarm}; every setting has a default. */
  public static final class Builder {
    private RepoLayout layout;
    private Path dir;
    private int workers = 1;
    private int workerThreads = 1;
    private int httpPort;
    private Path modelBundle;
    private boolean useEnvironment = true;
    private String externalDbUrl;
    private String externalDbUser;
    private String externalDbPassword;
    private String externalBootstrap;
    private Duration startupTimeout = Duration.ofSeconds(180);
    private Duration stopGrace = ServiceProcess.DEFAULT_STOP_GRACE;
    private final List<String> serviceJvmArgs = new ArrayList<>();
    private final Map<String, String> serviceProperties = new LinkedHashMap<>();
    private final Map<String, String> orchestratorProperties = new LinkedHashMap<>();
    private final Map<String, String> workerProperties = new LinkedHashMap<>();
    private final Map<String, String> encoderProperties = new LinkedHashMap<>();

    private Builder() {}

    /** The checkout (default: {@link RepoLayout#locate()}). */
    public Builder home(Path repoRoot) {
      this.layout = new RepoLayout(repoRoot.toAbsolutePath().normalize());
      return this;
    }

    /** The farm's working directory (default: {@code <repo>/.reelfarm}); wiped at start. */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Worker processes started with the farm (default 1; 0 allowed, see {@link #addWorker}). */
    public Builder workers(int workers) {
      if (workers < 0) throw new IllegalArgumentException("workers must be >= 0: " + workers);
      this.workers = workers;
      return this;
    }

    /** {@code reelfarm.worker.threads} of each worker (default 1). */
    public Builder workerThreads(int threads) {
      if (threads < 1)
        throw new IllegalArgumentException("worker threads must be >= 1: " + threads);
      this.workerThreads = threads;
      return this;
    }

    /** The orchestrator's HTTP port (default 0: a free port). */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /**
     * The model bundle directory (default: {@code reelfarm.model.bundle} / REELFARM_MODEL_BUNDLE,
     * else models/tiny-shapes, else the test fixture).
     */
    public Builder modelBundle(Path bundle) {
      this.modelBundle = bundle;
      return this;
    }

    /**
     * Whether REELFARM_DB_URL / _USER / _PASSWORD, REELFARM_KAFKA_BOOTSTRAP and
     * REELFARM_MODEL_BUNDLE (or the same {@code reelfarm.*} system properties) select external
     * servers (default true). Tests that must be hermetic pass false.
     */
    public Builder useEnvironment(boolean use) {
      this.useEnvironment = use;
      return this;
    }

    /** Use this PostgreSQL instead of an embedded one. */
    public Builder externalDatabase(String jdbcUrl, String user, String password) {
      this.externalDbUrl = jdbcUrl;
      this.externalDbUser = user;
      this.externalDbPassword = password;
      return this;
    }

    /** Use this Kafka instead of an embedded broker; missing topics are created. */
    public Builder externalKafka(String bootstrap) {
      this.externalBootstrap = bootstrap;
      return this;
    }

    /** How long each component may take to get ready (default 180 s: 2 cores, 4 JVMs). */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    /** How long a service gets after SIGTERM before SIGKILL (default 15 s). */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = grace;
      return this;
    }

    /** JVM options for every service (e.g. {@code -Xmx2g}). */
    public Builder serviceJvmArgs(String... args) {
      serviceJvmArgs.addAll(List.of(args));
      return this;
    }

    /** A system property for every service. */
    public Builder serviceProperty(String key, String value) {
      serviceProperties.put(key, value);
      return this;
    }

    public Builder orchestratorProperty(String key, String value) {
      orchestratorProperties.put(key, value);
      return this;
    }

    public Builder workerProperty(String key, String value) {
      workerProperties.put(key, value);
      return this;
    }

    public Builder encoderProperty(String key, String value) {
      encoderProperties.put(key, value);
      return this;
    }

    /**
     * Starts the farm and returns once every component is ready.
     *
     * @throws ServiceStartException naming the component that failed, with its log tail; everything
     *     started so far is stopped
     */
    public LocalFarm start() {
      return new LocalFarm(this).start();
    }
  }
}
