package dev.reelfarm.worker;

import dev.reelfarm.schema.config.Settings;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * A worker's settings: system property, else env var ({@code REELFARM_KAFKA_BOOTSTRAP}, ...), else
 * the default shown.
 *
 * @param kafkaBootstrap {@code reelfarm.kafka.bootstrap} (127.0.0.1:9092): Kafka brokers
 * @param artifactsDir {@code reelfarm.artifacts.dir} (.reelfarm/artifacts): the shared artifact store
 * @param modelBundle {@code reelfarm.model.bundle} (models/tiny-shapes): the model bundle directory
 * @param workerId {@code reelfarm.worker.id} (worker-&lt;pid&gt;): this worker's name in the farm
 * @param threads {@code reelfarm.worker.threads} (all cores): ONNX Runtime intra-op threads
 * @param allowCuda {@code reelfarm.worker.cuda} (true): use the CUDA provider when present
 * @param heartbeatMs {@code reelfarm.worker.heartbeat-ms} (2000): heartbeat period
 * @param stepEventMs {@code reelfarm.worker.step-event-ms} (1000): at most one step event per chunk this often
 * @param previewMs {@code reelfarm.worker.preview-ms} (2000): at most one preview image per chunk this often
 * @param simulateStepMs {@code reelfarm.worker.simulate-step-ms} (0 = off): benchmarks only; no model
 *     runs, each denoising step is a sleep this long (see {@code SimulatedChunkRenderer})
 * @param nodes {@code reelfarm.worker.nodes} (1): workers in this process, each its own consumer,
 *     with ids {@code <id>-1..n} when more than one; only with {@code simulate-step-ms} (a real
 *     worker owns its device)
 */
public record WorkerConfig(
    String kafkaBootstrap,
    Path artifactsDir,
    Path modelBundle,
    String workerId,
    int threads,
    boolean allowCuda,
    int heartbeatMs,
    int stepEventMs,
    int previewMs,
    int simulateStepMs,
    int nodes) {

  public WorkerConfig {
    if (simulateStepMs < 0) throw new IllegalArgumentException("reelfarm.worker.simulate-step-ms must be >= 0: " + simulateStepMs);
    if (nodes < 1) throw new IllegalArgumentException("reelfarm.worker.nodes must be >= 1: " + nodes);
    if (nodes > 1 && simulateStepMs == 0) {
      throw new IllegalArgumentException("reelfarm.worker.nodes > 1 needs reelfarm.worker.simulate-step-ms (a real worker owns its device)");
    }
  }

  /** True when denoising is simulated by sleeps (benchmarks). */
  public boolean simulated() {
    return simulateStepMs > 0;
  }

  /** The id of node {@code i} (1-based): the worker id itself when this process runs one node. */
  public String nodeId(int i) {
    return nodes == 1 ? workerId : workerId + "-" + i;
  }

  public static WorkerConfig fromEnvironment() {
    return new WorkerConfig(
        Settings.string("reelfarm.kafka.bootstrap", "127.0.0.1:9092"),
        Path.of(Settings.string("reelfarm.artifacts.dir", ".reelfarm/artifacts")),
        Path.of(Settings.string("reelfarm.model.bundle", "models/tiny-shapes")),
        Settings.string("reelfarm.worker.id", "worker-" + ManagementFactory.getRuntimeMXBean().getPid()),
        Settings.integer("reelfarm.worker.threads", Runtime.getRuntime().availableProcessors()),
        Boolean.parseBoolean(Settings.string("reelfarm.worker.cuda", "true")),
        Settings.integer("reelfarm.worker.heartbeat-ms", 2000),
        Settings.integer("reelfarm.worker.step-event-ms", 1000),
        Settings.integer("reelfarm.worker.preview-ms", 2000),
        Settings.integer("reelfarm.worker.simulate-step-ms", 0),
        Settings.integer("reelfarm.worker.nodes", 1));
  }
}
