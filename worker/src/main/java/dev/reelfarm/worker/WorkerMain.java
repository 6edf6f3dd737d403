package dev.reelfarm.worker;

import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.bundle.InvalidBundleException;
import dev.reelfarm.schema.config.Settings;
import dev.reelfarm.worker.diffusion.DdimSampler;
import dev.reelfarm.worker.diffusion.DpmSolverPlusPlus2MSampler;
import dev.reelfarm.worker.diffusion.EulerSampler;
import dev.reelfarm.worker.diffusion.Sampler;
import dev.reelfarm.worker.diffusion.SchedulerConfig;
import dev.reelfarm.worker.model.ModelBundle;
import dev.reelfarm.worker.model.OrtSessions;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.OnnxChunkRenderer;
import dev.reelfarm.worker.runtime.PreviewImages;
import dev.reelfarm.worker.runtime.SimulatedChunkRenderer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GPU (or CPU) worker process: loads the model bundle and runs one {@link WorkerNode} (one chunk
 * at a time from the shared consumer group). With {@code reelfarm.worker.simulate-step-ms} no model
 * runs (denoising steps are sleeps) and {@code reelfarm.worker.nodes} workers may share the process.
 */
public final class WorkerMain {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

  public static void main(String[] args) throws Exception {
    WorkerConfig config = WorkerConfig.fromEnvironment();
    ArtifactStore artifacts = new ArtifactStore(config.artifactsDir());
    BundleManifest manifest;
    ChunkRenderer renderer;
    ModelBundle bundle = null;
    String device;
    String renderingBy;
    try {
      if (config.simulated()) {
        manifest = BundleManifest.read(config.modelBundle());
        renderer = new SimulatedChunkRenderer(manifest, artifacts, config.simulateStepMs());
        device = "SIMULATED";
        renderingBy = "simulated denoising, " + config.simulateStepMs() + " ms/step";
      } else {
        OrtSessions sessions = new OrtSessions(config.threads(), config.allowCuda());
        bundle = ModelBundle.load(config.modelBundle(), sessions);
        manifest = bundle.manifest();
        Sampler sampler = sampler(Settings.string("reelfarm.worker.sampler", "ddim"), bundle.scheduler());
        renderer = new OnnxChunkRenderer(bundle, sampler, artifacts);
        device = sessions.device();
        renderingBy = "sampler=" + sampler.getClass().getSimpleName();
      }
    } catch (InvalidBundleException e) {
      LOG.error("refusing to start: {}", e.getMessage());
      System.exit(3);
      return;
    }
    PreviewImages previews = PreviewImages.forBundle(manifest, renderer.latentShape());
    String model = manifest.name() + "@" + manifest.version();
    String host = InetAddress.getLocalHost().getHostName();
    List<WorkerNode> nodes = new ArrayList<>();
    for (int i = 1; i <= config.nodes(); i++) {
      nodes.add(new WorkerNode(config, config.nodeId(i), renderer, previews, artifacts, model, device, host));
    }

    Thread main = Thread.currentThread();
    AtomicBoolean exiting = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("worker {} stopping", config.workerId());
      nodes.parallelStream().forEach(WorkerNode::close);
      try {
        if (!exiting.get()) main.join(10_000); // lets main close the bundle's sessions
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown"));

    nodes.forEach(WorkerNode::start);
    LOG.info("worker ready: id={} nodes={} model={} device={} {} bundle={}", config.workerId(), config.nodes(), model, device, renderingBy,
        config.modelBundle());
    try {
      for (WorkerNode node : nodes) node.await();
    } finally {
      if (bundle != null) bundle.close();
      LOG.info("worker {} stopped", config.workerId());
    }
    if (nodes.stream().anyMatch(WorkerNode::failed)) {
      exiting.set(true); // main is in System.exit: the shutdown hook must not wait for it
      System.exit(1);
    }
  }

  static Sampler sampler(String name, SchedulerConfig scheduler) {
    return switch (name) {
      case "ddim" -> new DdimSampler(scheduler);
      case "dpm++2m", "dpmsolver++" -> new DpmSolverPlusPlus2MSampler(scheduler);
      case "euler" -> new EulerSampler(scheduler);
      default -> throw new IllegalArgumentException("reelfarm.worker.sampler: unknown sampler '" + name + "' (ddim, dpm++2m, euler)");
    };
  }

  private WorkerMain() {}
}
