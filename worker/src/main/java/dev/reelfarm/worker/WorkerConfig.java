package dev.reelfarm.worker;

import dev.reelfarm.schema.config.FarmConfig;
import dev.reelfarm.schema.config.InvalidConfigException;
import dev.reelfarm.worker.diffusion.SamplerAlgorithm;
import dev.reelfarm.worker.runtime.FaultInjectingRenderer;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A worker's own settings, {@code reelfarm.worker.*} (system property, else env var {@code
 * REELFARM_WORKER_*}, else the default shown); Kafka, the artifact store and the model bundle come
 * from the shared {@link FarmConfig}. An unknown {@code reelfarm.worker.*} key stops the worker.
 */
@ConfigMapping(prefix = "reelfarm.worker")
public interface WorkerConfig {

  /** {@code reelfarm.worker.id} (default {@code worker-<pid>}): this worker's name in the farm. */
  Optional<String> id();

  /** {@code reelfarm.worker.threads} (default: all cores): ONNX Runtime intra-op threads. */
  OptionalInt threads();

  /** {@code reelfarm.worker.cuda} (default {@code true}): use the CUDA provider when present. */
  @WithDefault("true")
  boolean cuda();

  /**
   * {@code reelfarm.worker.sampler} (default: the bundle's, {@code ddim}, or {@code flow-euler} for
   * a flow-matching model): a name of {@link SamplerAlgorithm}.
   */
  @WithConverter(SamplerName.class)
  Optional<SamplerAlgorithm> sampler();

  /** {@code reelfarm.worker.heartbeat-ms} (default {@code 2000}): heartbeat period. */
  @WithDefault("2000")
  int heartbeatMs();

  /**
   * {@code reelfarm.worker.step-event-ms} (default {@code 1000}): at most one step event per chunk
   * this often.
   */
  @WithDefault("1000")
  int stepEventMs();

  /**
   * {@code reelfarm.worker.preview-ms} (default {@code 2000}): at most one preview image per chunk
   * this often.
   */
  @WithDefault("2000")
  int previewMs();

  /**
   * {@code reelfarm.worker.simulate-step-ms} (default {@code 0} = off): benchmarks only; no model
   * runs, each denoising step is a sleep this long (see {@code SimulatedChunkRenderer}).
   */
  @WithDefault("0")
  int simulateStepMs();

  /**
   * {@code reelfarm.worker.nodes} (default {@code 1}): workers in this process, each its own
   * consumer, with ids {@code <id>-1..n} when more than one; only with {@code simulate-step-ms} (a
   * real worker owns its device).
   */
  @WithDefault("1")
  int nodes();

  /**
   * {@code reelfarm.worker.http-port} (default {@code 8081}; {@code 0}: any free port): the
   * worker's health endpoint ({@code /q/health}, {@code /q/health/live}, {@code /q/health/ready}).
   */
  @WithDefault("8081")
  int httpPort();

  /** {@code reelfarm.worker.fault.*}: test-only fault injection, all off by default. */
  Fault fault();

  /** Faults a farm test injects into one worker (see {@link FaultInjectingRenderer}). */
  interface Fault {
    /**
     * {@code reelfarm.worker.fault.hang-at-step} (default {@code 0} = off): the first chunk that
     * reaches this denoising step blocks there, while heartbeats and the consumer group go on.
     */
    @WithDefault("0")
    int hangAtStep();

    /** {@code reelfarm.worker.fault.hang-ms} (default {@code -1} = forever): how long it blocks. */
    @WithDefault("-1")
    long hangMs();

    /**
     * {@code reelfarm.worker.fault.fail-every-chunk} (default {@code false}): every chunk fails at
     * its first step, with an error naming this key.
     */
    @WithDefault("false")
    boolean failEveryChunk();

    /**
     * {@code reelfarm.worker.fault.crash-on-prompt} (default none): the process halts (status 134,
     * like a native crash) at the first step of a chunk whose prompt contains this text.
     */
    Optional<String> crashOnPrompt();

    default FaultInjectingRenderer.Faults faults() {
      return new FaultInjectingRenderer.Faults(
          hangAtStep(), hangMs(), failEveryChunk(), crashOnPrompt().orElse(null));
    }
  }

  /** The worker's id, {@code worker-<pid>} unless configured. */
  default String workerId() {
    return id().orElse("worker-" + ProcessHandle.current().pid());
  }

  /** ONNX Runtime intra-op threads: all cores unless configured. */
  default int intraOpThreads() {
    return threads().orElse(Runtime.getRuntime().availableProcessors());
  }

  /** True when denoising is simulated by sleeps (benchmarks). */
  default boolean simulated() {
    return simulateStepMs() > 0;
  }

  /** The id of node {@code i} (1-based): the worker id itself when this process runs one node. */
  default String nodeId(int i) {
    return nodes() == 1 ? workerId() : workerId() + "-" + i;
  }

  /**
   * The worker settings of {@code config} (built by {@link FarmConfig#builder} with this mapping),
   * checked for the rules no type can express.
   *
   * @throws InvalidConfigException naming each broken rule
   */
  static WorkerConfig from(SmallRyeConfig config) {
    WorkerConfig worker = config.getConfigMapping(WorkerConfig.class);
    List<String> problems = new ArrayList<>();
    // A zero period would only fail later, inside the heartbeat scheduler, with no key named.
    if (worker.heartbeatMs() < 1)
      problems.add("reelfarm.worker.heartbeat-ms must be >= 1: " + worker.heartbeatMs());
    if (worker.simulateStepMs() < 0)
      problems.add("reelfarm.worker.simulate-step-ms must be >= 0: " + worker.simulateStepMs());
    if (worker.httpPort() < 0 || worker.httpPort() > 65535)
      problems.add("reelfarm.worker.http-port must be 0..65535: " + worker.httpPort());
    if (worker.fault().hangAtStep() < 0)
      problems.add(
          "reelfarm.worker.fault.hang-at-step must be >= 0: " + worker.fault().hangAtStep());
    if (worker.fault().hangMs() < -1)
      problems.add("reelfarm.worker.fault.hang-ms must be >= -1: " + worker.fault().hangMs());
    if (worker.fault().crashOnPrompt().filter(String::isBlank).isPresent())
      problems.add("reelfarm.worker.fault.crash-on-prompt must not be blank");
    if (worker.nodes() < 1) problems.add("reelfarm.worker.nodes must be >= 1: " + worker.nodes());
    if (worker.nodes() > 1 && worker.simulateStepMs() == 0) {
      problems.add(
          "reelfarm.worker.nodes > 1 needs reelfarm.worker.simulate-step-ms (a real worker owns its device)");
    }
    if (!problems.isEmpty()) throw new InvalidConfigException(String.join("; ", problems));
    return worker;
  }

  /** Reads a sampler by any of its registry names; an unknown one is refused listing them. */
  final class SamplerName implements Converter<SamplerAlgorithm> {
    @Override
    public SamplerAlgorithm convert(String value) {
      return SamplerAlgorithm.named(value.trim());
    }
  }
}
