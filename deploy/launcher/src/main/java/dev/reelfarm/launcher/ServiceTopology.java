package dev.reelfarm.launcher;

import dev.reelfarm.infra.Ports;
import dev.reelfarm.infra.ReadinessCheck;
import dev.reelfarm.infra.ServiceProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The farm's services and how each is started: its jar, its system properties (infrastructure,
 * artifacts, model, its own settings) and the sign that it is ready. One or more orchestrator
 * replicas ({@code orchestrator}, {@code orchestrator-2}, …, each on its own HTTP port), any number
 * of workers ({@code worker-1}, {@code worker-2}, …), one encoder.
 */
final class ServiceTopology {

  /** The line a worker prints once it consumes tasks. */
  static final String WORKER_READY_LINE = "worker ready";

  /** The line the encoder prints once it consumes tasks. */
  static final String ENCODER_READY_LINE = "encoder ready";

  /** CPU priority of the encoder below the workers ({@code nice -n}). */
  static final int ENCODER_NICENESS = 19;

  /** The bundle a service loads (a worker's own setting overrides the farm's default). */
  static final String MODEL_BUNDLE = "reelfarm.model.bundle";

  static final String WORKER_NAMESPACE = "reelfarm.worker.";
  static final String ENCODER_NAMESPACE = "reelfarm.encoder.";
  private static final List<String> SERVICE_NAMESPACES =
      List.of(WORKER_NAMESPACE, ENCODER_NAMESPACE);

  private final FarmConfig config;
  private final RepoLayout layout;
  private final FarmDirectory dir;
  private final FarmInfrastructure infrastructure;
  private final Path modelBundle;
  private final List<Integer> orchestratorPorts;

  ServiceTopology(
      FarmConfig config,
      RepoLayout layout,
      FarmDirectory dir,
      FarmInfrastructure infrastructure,
      Path modelBundle,
      int httpPort) {
    this.config = config;
    this.layout = layout;
    this.dir = dir;
    this.infrastructure = infrastructure;
    this.modelBundle = modelBundle;
    var ports = new ArrayList<Integer>(List.of(httpPort));
    while (ports.size() < config.orchestrators) ports.add(Ports.free());
    this.orchestratorPorts = List.copyOf(ports);
  }

  /** The orchestrator replicas, the first on the farm's HTTP port. */
  int orchestrators() {
    return orchestratorPorts.size();
  }

  /** The API of orchestrator {@code replica} (0-based). */
  URI apiBase(int replica) {
    return URI.create("http://127.0.0.1:" + orchestratorPorts.get(replica));
  }

  /** {@code orchestrator} for the first replica, {@code orchestrator-<n>} for the n-th. */
  static String orchestratorName(int replica) {
    return replica == 0 ? "orchestrator" : "orchestrator-" + (replica + 1);
  }

  ServiceProcess.Builder orchestrator(int replica) {
    return service(orchestratorName(replica), layout.orchestratorJar(), null)
        .systemProperty("quarkus.http.port", Integer.toString(orchestratorPorts.get(replica)))
        .systemProperty(
            "quarkus.http.host", config.advertisedHost.isPresent() ? "0.0.0.0" : "127.0.0.1")
        .systemProperty("reelfarm.orchestrator.id", orchestratorName(replica))
        .systemProperty("reelfarm.auth.bootstrap-key-file", dir.adminKeyFile().toString())
        .systemProperties(dbProperties())
        // A local farm's webhook receivers run on this machine: loopback is where they are.
        .systemProperty("reelfarm.webhooks.allow-private", "true")
        .systemProperties(joinProperties())
        .systemProperties(config.orchestratorProperties);
  }

  /** What the join endpoint tells other machines, where their addresses differ from ours. */
  private Map<String, String> joinProperties() {
    var p = new LinkedHashMap<String, String>();
    infrastructure.externalBootstrap().ifPresent(b -> p.put("reelfarm.join.kafka-bootstrap", b));
    infrastructure.artifacts().joinEndpoint().ifPresent(e -> p.put("reelfarm.join.s3-endpoint", e));
    return p;
  }

  ServiceProcess.Builder worker(String id) {
    return service(id, layout.workerJar(), WORKER_NAMESPACE)
        .systemProperty("reelfarm.worker.id", id)
        .systemProperty("reelfarm.worker.threads", Integer.toString(config.workerThreads))
        .systemProperty("reelfarm.worker.http-port", "0") // health: a port of its own, any free one
        .systemProperties(config.workerProperties);
  }

  ServiceProcess.Builder encoder() {
    return service("encoder", layout.encoderJar(), ENCODER_NAMESPACE)
        // Encoding ahead may lag without delaying the clip, rendering may not: on a machine the
        // workers share with the encoder, the encoder gets the idle CPU.
        .niceness(ENCODER_NICENESS)
        .systemProperty("reelfarm.encoder.id", "encoder-1")
        .systemProperty("reelfarm.encoder.http-port", "0")
        .systemProperties(dbProperties())
        .systemProperties(config.encoderProperties);
  }

  ReadinessCheck orchestratorReady(int replica) {
    return ReadinessCheck.httpOk(apiBase(replica).resolve("/q/health/ready"));
  }

  static ReadinessCheck workerReady() {
    return ReadinessCheck.logLine(WORKER_READY_LINE);
  }

  static ReadinessCheck encoderReady() {
    return ReadinessCheck.logLine(ENCODER_READY_LINE);
  }

  /**
   * {@code ownNamespace}: the service's own settings prefix, null for the orchestrator, whose
   * mapping covers all of {@code reelfarm.*}.
   */
  private ServiceProcess.Builder service(String name, Path jar, String ownNamespace) {
    return ServiceProcess.builder(name)
        .jar(jar)
        .jvmArgs(config.serviceJvmArgs.toArray(String[]::new))
        .systemProperty("reelfarm.kafka.bootstrap", infrastructure.bootstrap())
        .systemProperties(infrastructure.artifacts().serviceProperties(dir, name))
        .systemProperty(MODEL_BUNDLE, modelBundle.toString())
        .systemProperties(farmWideProperties(config.serviceProperties, ownNamespace))
        .workingDirectory(layout.root())
        .ownTempDirectory(dir.tmp().resolve(name))
        .logFile(dir.logs().resolve(name + ".log"));
  }

  /**
   * The properties given for every service ({@code -D}) that this one gets. Each service refuses
   * unknown keys under its own prefixes (a typo must not pass silently), and the orchestrator's
   * prefix is all of {@code reelfarm.*}: so a key of a worker's or the encoder's own namespace
   * ({@code -Dreelfarm.worker.simulate-step-ms=100}) goes to that service alone.
   */
  static Map<String, String> farmWideProperties(Map<String, String> all, String ownNamespace) {
    var p = new LinkedHashMap<String, String>();
    all.forEach(
        (key, value) -> {
          boolean anotherServicesOwn =
              SERVICE_NAMESPACES.stream()
                  .anyMatch(ns -> key.startsWith(ns) && !ns.equals(ownNamespace));
          if (!anotherServicesOwn) p.put(key, value);
        });
    return p;
  }

  private Map<String, String> dbProperties() {
    var p = new LinkedHashMap<String, String>();
    p.put("reelfarm.db.url", infrastructure.jdbcUrl());
    if (infrastructure.dbUser() != null) p.put("reelfarm.db.user", infrastructure.dbUser());
    if (infrastructure.dbPassword() != null)
      p.put("reelfarm.db.password", infrastructure.dbPassword());
    return p;
  }
}
