package dev.reelfarm.encoder.metrics;

import dev.reelfarm.schema.health.HealthEndpoint;
import dev.reelfarm.schema.messages.JobEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The encoder process's Prometheus metrics, served as {@code /q/metrics} on its health port: encode
 * time (histogram), encodes done and failed, output frames encoded. The only place in the encoder
 * that knows Micrometer: it reads the job events the encoder publishes ({@link #observe}), so the
 * encoding code is unchanged.
 */
public final class EncoderMetrics {
  /** Buckets for one clip's encode: a 1 s clip's tail takes tenths of a second, 60 s a minute. */
  private static final Duration[] ENCODE_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(20),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Timer encode;
  final Counter encodes;
  final Counter failed;
  final Counter frames;

  public EncoderMetrics() {
    encode =
        Timer.builder("reelfarm.encoder.encode")
            .description("Time to encode a clip, as its ENCODED event reports (encodeMs)")
            .serviceLevelObjectives(ENCODE_BUCKETS)
            .register(registry);
    encodes =
        Counter.builder("reelfarm.encoder.encodes")
            .description("Clips encoded (ENCODED events published)")
            .register(registry);
    failed =
        Counter.builder("reelfarm.encoder.encodes.failed")
            .description("Encode tasks given up (FAILED events published)")
            .register(registry);
    frames =
        Counter.builder("reelfarm.encoder.frames.encoded")
            .description("Output frames of the clips encoded")
            .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
  }

  /**
   * {@code publisher}, recording each job event once it is published (one that could not be is
   * retried by the encoder and counted when it is).
   */
  public Consumer<JobEvent> observe(Consumer<JobEvent> publisher) {
    return event -> {
      publisher.accept(event);
      if (event instanceof JobEvent.Encoded e) {
        encode.record(Duration.ofMillis(e.encodeMs()));
        encodes.increment();
        frames.increment(e.frames());
      } else if (event instanceof JobEvent.Failed) {
        failed.increment();
      }
    };
  }

  /** Serves the metrics as {@code /q/metrics} on the encoder's health server. */
  public void serveOn(HealthEndpoint health) {
    health.serve("/q/metrics", "text/plain; version=0.0.4; charset=utf-8", registry::scrape);
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
