package dev.reelfarm.worker.metrics;

import dev.reelfarm.schema.health.HealthEndpoint;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The worker process's Prometheus metrics, served as {@code /q/metrics} on its health port: chunk
 * render and denoising step times (histograms), chunks rendered and failed, and which device and
 * model it runs (info-style gauges of 1). The only place in the worker that knows Micrometer; the
 * renderer is metered by wrapping it ({@link #meter}).
 */
public final class WorkerMetrics {
  /** Buckets for a whole chunk: a simulated one takes tenths of a second, a CPU one minutes. */
  private static final Duration[] CHUNK_BUCKETS =
      seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600);

  /** Buckets for one denoising step: milliseconds simulated or on a GPU, seconds on a CPU. */
  private static final Duration[] STEP_BUCKETS =
      seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Timer chunkRender;
  final Timer step;
  final Counter rendered;
  final Counter failed;

  /**
   * @param device what renders (CPU, CUDA, SIMULATED)
   * @param model the bundle's {@code name@version}
   */
  public WorkerMetrics(String device, String model) {
    chunkRender =
        Timer.builder("reelfarm.worker.chunk.render")
            .description("Wall time of one chunk render (text encoding, denoising, decoding)")
            .serviceLevelObjectives(CHUNK_BUCKETS)
            .register(registry);
    step =
        Timer.builder("reelfarm.worker.step")
            .description(
                "Wall time between two denoising steps of a chunk (the first step, which follows"
                    + " text encoding, is not counted)")
            .serviceLevelObjectives(STEP_BUCKETS)
            .register(registry);
    rendered =
        Counter.builder("reelfarm.worker.chunks.rendered")
            .description("Chunk renders that finished")
            .register(registry);
    failed =
        Counter.builder("reelfarm.worker.chunks.failed")
            .description(
                "Chunk renders that threw (each local attempt counts; cancellations do not)")
            .register(registry);
    Gauge.builder("reelfarm.worker.device.info", () -> 1)
        .description("The device this worker renders on, as the device label (always 1)")
        .tag("device", device)
        .register(registry);
    Gauge.builder("reelfarm.worker.model.loaded", () -> 1)
        .description("The model bundle this worker has loaded, as the model label (always 1)")
        .tag("model", model)
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
  }

  /** {@code renderer}, with every render and step recorded here. */
  public ChunkRenderer meter(ChunkRenderer renderer) {
    return new MeteredRenderer(renderer, this);
  }

  /** Serves the metrics as {@code /q/metrics} on the worker's health server. */
  public void serveOn(HealthEndpoint health) {
    health.serve("/q/metrics", "text/plain; version=0.0.4; charset=utf-8", registry::scrape);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofNanos((long) (values[i] * 1e9));
    return out;
  }
}
