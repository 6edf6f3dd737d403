package dev.reelfarm.worker;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.artifacts.ArtifactStores;
import dev.reelfarm.schema.bundle.BundleChecksum;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.bundle.InvalidBundleException;
import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.config.InvalidConfigException;
import dev.reelfarm.schema.health.HealthEndpoint;
import dev.reelfarm.schema.messaging.BackgroundLoop;
import dev.reelfarm.schema.messaging.KafkaClients;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.diffusion.SamplerAlgorithm;
import dev.reelfarm.worker.metrics.WorkerMetrics;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.OrtSessions;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.FaultInjectingRenderer;
import dev.reelfarm.worker.runtime.OnnxChunkRenderer;
import dev.reelfarm.worker.runtime.PreviewImages;
import dev.reelfarm.worker.runtime.SimulatedChunkRenderer;
import io.smallrye.config.SmallRyeConfig;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GPU (or CPU) worker process: loads the model bundle and runs one {@link WorkerNode} (one chunk
 * at a time from the shared consumer group). With {@code reelfarm.worker.simulate-step-ms} no model
 * runs (denoising steps are sleeps) and {@code reelfarm.worker.nodes} workers may share the
 * process.
 */
public final class WorkerMain {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

  /**
   * How long SIGTERM waits for main to close the bundle's native sessions after the nodes stopped:
   * the nodes' own stop is bounded by {@link BackgroundLoop#STOP_WAIT}, closing sessions is fast.
   */
  private static final long SHUTDOWN_JOIN_MS = BackgroundLoop.STOP_WAIT.toMillis();

  public static void main(String[] args) throws Exception {
    FarmConfig farm;
    WorkerConfig config;
    try {
      SmallRyeConfig sources = FarmConfig.load(WorkerConfig.class);
      farm = FarmConfig.of(sources);
      config = WorkerConfig.from(sources);
    } catch (InvalidConfigException e) {
      LOG.error("refusing to start: bad configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    ArtifactStore artifacts = ArtifactStores.open(farm.artifacts());
    KafkaClients kafka = new KafkaClients(farm.kafka());
    Path bundleDir = farm.model().bundle();
    BundleManifest manifest;
    ChunkRenderer renderer;
    ModelBundle bundle = null;
    String device;
    String renderingBy;
    try {
      if (config.simulated()) {
        manifest = BundleManifest.read(bundleDir);
        renderer = new SimulatedChunkRenderer(manifest, artifacts, config.simulateStepMs());
        device = "SIMULATED";
        renderingBy = "simulated denoising, " + config.simulateStepMs() + " ms/step";
      } else {
        OrtSessions sessions = new OrtSessions(config.intraOpThreads(), config.cuda());
        bundle = ModelBundle.load(bundleDir, sessions);
        manifest = bundle.manifest();
        SamplerAlgorithm algorithm =
            config.sampler().orElse(SamplerAlgorithm.defaultFor(bundle.scheduler()));
        Sampler sampler = algorithm.create(bundle.scheduler());
        renderer = new OnnxChunkRenderer(bundle, sampler, artifacts);
        device = sessions.device();
        renderingBy = "sampler=" + algorithm.canonicalName();
      }
    } catch (InvalidBundleException e) {
      LOG.error("refusing to start: {}", e.getMessage());
      System.exit(3);
      return;
    }
    BundleFacts facts = BundleFacts.of(manifest, BundleChecksum.of(bundleDir));
    String model = manifest.name() + "@" + manifest.version();
    WorkerMetrics metrics = new WorkerMetrics(device, model);
    renderer = metrics.meter(FaultInjectingRenderer.wrap(renderer, config.fault().faults()));
    PreviewImages previews = PreviewImages.forBundle(manifest, renderer.latentShape());
    String host = InetAddress.getLocalHost().getHostName();
    List<WorkerNode> nodes = new ArrayList<>();
    for (int i = 1; i <= config.nodes(); i++) {
      nodes.add(
          new WorkerNode(
              config, kafka, config.nodeId(i), renderer, previews, artifacts, facts, device, host));
    }

    String workerId = config.workerId();
    Thread main = Thread.currentThread();
    AtomicBoolean exiting = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("worker {} stopping", workerId);
                  nodes.parallelStream().forEach(WorkerNode::close);
                  try {
                    if (!exiting.get())
                      main.join(SHUTDOWN_JOIN_MS); // lets main close the bundle's sessions
                  } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                  }
                },
                "shutdown"));

    HealthEndpoint health;
    try {
      health = health(config.httpPort(), nodes);
      metrics.serveOn(health);
    } catch (UncheckedIOException e) {
      LOG.error("refusing to start: {}: {}", e.getMessage(), e.getCause().toString());
      System.exit(2);
      return;
    }
    nodes.forEach(WorkerNode::start);
    LOG.info(
        "worker ready: id={} nodes={} model={} device={} {} bundle={} health=:{}",
        workerId,
        config.nodes(),
        model,
        device,
        renderingBy,
        bundleDir,
        health.port());
    try {
      for (WorkerNode node : nodes) node.await();
    } finally {
      health.close();
      if (bundle != null) bundle.close();
      LOG.info("worker {} stopped", workerId);
    }
    if (nodes.stream().anyMatch(WorkerNode::failed)) {
      exiting.set(true); // main is in System.exit: the shutdown hook must not wait for it
      System.exit(1);
    }
  }

  /**
   * The process's health on {@code port}: every loop of every node is a check, so the worker is
   * DOWN while any of them is not running.
   */
  static HealthEndpoint health(int port, List<WorkerNode> nodes) {
    List<HealthEndpoint.Check> checks =
        nodes.stream().flatMap(n -> n.loops().stream()).map(HealthEndpoint.Check::of).toList();
    return HealthEndpoint.start(port, () -> checks);
  }

  private WorkerMain() {}
}
