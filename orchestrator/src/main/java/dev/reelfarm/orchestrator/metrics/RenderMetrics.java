package dev.reelfarm.orchestrator.metrics;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.schema.messages.ChunkEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * What the state machine and the dispatcher record as they work: queue wait, dispatch latency,
 * chunk render and step times, encode time and jobs that succeeded. The farm's counts by state are
 * {@link FarmGauges}. Every histogram has explicit buckets, so {@code histogram_quantile} gives its
 * percentiles across replicas. Callers record only after their transaction committed (a rolled back
 * transaction is retried and would count twice).
 */
@ApplicationScoped
public class RenderMetrics {
  private static final Duration[] WAIT_BUCKETS =
      seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);
  private static final Duration[] PASS_BUCKETS =
      seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5);
  private static final Duration[] CHUNK_BUCKETS =
      seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600);
  private static final Duration[] STEP_BUCKETS =
      seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
  private static final Duration[] ENCODE_BUCKETS =
      seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300);

  private final Timer queueWait;
  private final Timer dispatchLatency;
  private final Timer chunkRender;
  private final Timer chunkStep;
  private final Timer jobEncode;
  private final Counter jobsSucceeded;

  public RenderMetrics(MeterRegistry registry) {
    queueWait =
        timer(
            registry,
            "reelfarm.chunk.queue.wait",
            "Time a chunk waited READY before it was dispatched",
            WAIT_BUCKETS);
    dispatchLatency =
        timer(
            registry,
            "reelfarm.dispatch.latency",
            "Time of one dispatcher pass (read the farm, place READY chunks, commit)",
            PASS_BUCKETS);
    chunkRender =
        timer(
            registry,
            "reelfarm.chunk.render",
            "Time from a chunk's run starting (RUNNING) to the chunk being DONE",
            CHUNK_BUCKETS);
    chunkStep =
        timer(
            registry,
            "reelfarm.chunk.step",
            "Mean denoising step time of each chunk that is DONE (its denoise time over its steps)",
            STEP_BUCKETS);
    jobEncode =
        timer(
            registry,
            "reelfarm.job.encode",
            "Encode time of each job that succeeded, as its encoder reported it",
            ENCODE_BUCKETS);
    jobsSucceeded =
        Counter.builder("reelfarm.jobs.succeeded")
            .description("Jobs that succeeded (their video is stored)")
            .register(registry);
  }

  /** One dispatcher pass took {@code nanos}; {@code queued} are the waits of what it sent. */
  public void dispatchPass(long nanos, List<Duration> queued) {
    dispatchLatency.record(Duration.ofNanos(nanos));
    queued.forEach(queueWait::record);
  }

  /** {@code chunk} (as stored once DONE) was completed with {@code timings}. */
  public void chunkDone(ChunkRow chunk, ChunkEvent.Timings timings) {
    var run = chunk.run();
    if (run.startedAt() != null && run.finishedAt() != null)
      chunkRender.record(Duration.between(run.startedAt(), run.finishedAt()));
    if (run.steps() > 0) chunkStep.record(Duration.ofMillis(timings.denoiseMs() / run.steps()));
  }

  /** A job succeeded; its encoder took {@code encodeMs}. */
  public void jobSucceeded(long encodeMs) {
    jobsSucceeded.increment();
    jobEncode.record(Duration.ofMillis(encodeMs));
  }

  private static Timer timer(
      MeterRegistry registry, String name, String description, Duration[] buckets) {
    return Timer.builder(name)
        .description(description)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofNanos((long) (values[i] * 1e9));
    return out;
  }
}
