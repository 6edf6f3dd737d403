package dev.reelfarm.launcher;

import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ServiceStartException;
import dev.reelfarm.schema.config.ArtifactsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of a {@link LocalFarm} ({@link LocalFarm#builder()}); every setting has a default.
 */
public final class FarmConfig {
  RepoLayout layout;
  Path dir;
  int workers = 1;
  int orchestrators = 1;
  boolean fresh = true;
  int workerThreads = 1;
  int httpPort;
  Path modelBundle;
  final List<Path> workerBundles = new ArrayList<>();
  boolean useEnvironment = true;
  String externalDbUrl;
  String externalDbUser;
  String externalDbPassword;
  String externalBootstrap;
  Optional<String> advertisedHost = Optional.empty();
  ArtifactsConfig.Store artifactStore = ArtifactsConfig.Store.FS;
  Duration startupTimeout = Duration.ofSeconds(180);
  Duration stopGrace = ServiceProcess.DEFAULT_STOP_GRACE;
  final List<String> serviceJvmArgs = new ArrayList<>();
  final Map<String, String> serviceProperties = new LinkedHashMap<>();
  final Map<String, String> orchestratorProperties = new LinkedHashMap<>();
  final Map<String, String> workerProperties = new LinkedHashMap<>();
  final Map<String, String> encoderProperties = new LinkedHashMap<>();

  FarmConfig() {}

  /** The checkout (default: {@link RepoLayout#locate()}). */
  public FarmConfig home(Path repoRoot) {
    this.layout = new RepoLayout(repoRoot.toAbsolutePath().normalize());
    return this;
  }

  /** The farm's working directory (default: {@code <repo>/.reelfarm}); see {@link #fresh}. */
  public FarmConfig dir(Path dir) {
    this.dir = dir;
    return this;
  }

  /**
   * Whether the start wipes the farm directory's state (default true: a fresh farm, as tests and
   * benchmarks want). False keeps the database, the broker's data and the artifacts of the farm
   * that ran there before, so its queued and running jobs continue.
   */
  public FarmConfig fresh(boolean fresh) {
    this.fresh = fresh;
    return this;
  }

  /**
   * Orchestrator replicas on the one PostgreSQL and Kafka (default 1), each on its own HTTP port;
   * the first on {@link #httpPort}.
   */
  public FarmConfig orchestrators(int orchestrators) {
    if (orchestrators < 1)
      throw new IllegalArgumentException("orchestrators must be >= 1: " + orchestrators);
    this.orchestrators = orchestrators;
    return this;
  }

  /** Worker processes started with the farm (default 1; 0 allowed, see {@link #addWorker}). */
  public FarmConfig workers(int workers) {
    if (workers < 0) throw new IllegalArgumentException("workers must be >= 0: " + workers);
    this.workers = workers;
    return this;
  }

  /** {@code reelfarm.worker.threads} of each worker (default 1). */
  public FarmConfig workerThreads(int threads) {
    if (threads < 1) throw new IllegalArgumentException("worker threads must be >= 1: " + threads);
    this.workerThreads = threads;
    return this;
  }

  /** The orchestrator's HTTP port (default 0: a free port). */
  public FarmConfig httpPort(int port) {
    this.httpPort = port;
    return this;
  }

  /**
   * The model bundle directory (default: {@code reelfarm.model.bundle} / REELFARM_MODEL_BUNDLE,
   * else models/tiny-shapes, else the test fixture).
   */
  public FarmConfig modelBundle(Path bundle) {
    this.modelBundle = bundle;
    return this;
  }

  /**
   * One more worker, started with the farm after the {@link #workers} on the default model, that
   * loads {@code bundle} instead (a farm with several models); call once per worker. The
   * orchestrator learns the bundle from that worker's heartbeats; {@link #modelBundle} stays the
   * default model.
   *
   * @throws IllegalArgumentException when {@code bundle} has no bundle.json
   */
  public FarmConfig workerBundle(Path bundle) {
    if (!RepoLayout.isBundle(bundle))
      throw new IllegalArgumentException("model bundle " + bundle + " has no bundle.json");
    workerBundles.add(bundle.toAbsolutePath().normalize());
    return this;
  }

  /**
   * Whether REELFARM_DB_URL / _USER / _PASSWORD, REELFARM_KAFKA_BOOTSTRAP and REELFARM_MODEL_BUNDLE
   * (or the same {@code reelfarm.*} system properties) select external servers (default true).
   * Tests that must be hermetic pass false.
   */
  public FarmConfig useEnvironment(boolean use) {
    this.useEnvironment = use;
    return this;
  }

  /** Use this PostgreSQL instead of an embedded one. */
  public FarmConfig externalDatabase(String jdbcUrl, String user, String password) {
    this.externalDbUrl = jdbcUrl;
    this.externalDbUser = user;
    this.externalDbPassword = password;
    return this;
  }

  /** Use this Kafka instead of an embedded broker; missing topics are created. */
  public FarmConfig externalKafka(String bootstrap) {
    this.externalBootstrap = bootstrap;
    return this;
  }

  /**
   * The address other machines reach this one at, for workers and encoders that join from them: the
   * API, the embedded Kafka broker (a second listener) and S3Proxy then also listen on every
   * interface, and the join endpoint tells joining hosts {@code host}'s addresses. PostgreSQL stays
   * on loopback (only the orchestrator uses it). Default: none, everything on 127.0.0.1.
   */
  public FarmConfig advertise(String host) {
    this.advertisedHost = Optional.of(host);
    return this;
  }

  /**
   * The artifact store of every service (default {@code FS}: the farm directory's {@code
   * artifacts}); {@code S3}: a bucket on S3Proxy started with the farm, or on the server
   * REELFARM_S3_ENDPOINT names (see {@link #useEnvironment}).
   */
  public FarmConfig artifacts(ArtifactsConfig.Store store) {
    this.artifactStore = store;
    return this;
  }

  /** How long each component may take to get ready (default 180 s: 2 cores, 4 JVMs). */
  public FarmConfig startupTimeout(Duration timeout) {
    this.startupTimeout = timeout;
    return this;
  }

  /** How long a service gets after SIGTERM before SIGKILL (default 15 s). */
  public FarmConfig stopGrace(Duration grace) {
    this.stopGrace = grace;
    return this;
  }

  /** JVM options for every service (e.g. {@code -Xmx2g}). */
  public FarmConfig serviceJvmArgs(String... args) {
    serviceJvmArgs.addAll(List.of(args));
    return this;
  }

  /**
   * A system property for every service; one in a worker's or the encoder's own namespace ({@code
   * reelfarm.worker.*}, {@code reelfarm.encoder.*}) goes to that service alone.
   */
  public FarmConfig serviceProperty(String key, String value) {
    serviceProperties.put(key, value);
    return this;
  }

  public FarmConfig orchestratorProperty(String key, String value) {
    orchestratorProperties.put(key, value);
    return this;
  }

  public FarmConfig workerProperty(String key, String value) {
    workerProperties.put(key, value);
    return this;
  }

  public FarmConfig encoderProperty(String key, String value) {
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
    return LocalFarm.start(this);
  }
}
