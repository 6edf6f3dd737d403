package dev.reelfarm.e2e;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The farm's own metric families ({@code reelfarm_*}) by service, in one place: {@link MetricsIT}
 * checks that each service exports exactly these, and {@link GrafanaDashboardTest} that the
 * dashboard asks for no other. README.md (Metrics) lists them for people.
 */
final class ExportedMetrics {
  enum Kind {
    GAUGE,
    COUNTER,
    /**
     * A Micrometer timer: {@code _bucket}, {@code _count}, {@code _sum} and a {@code _max} gauge.
     */
    HISTOGRAM
  }

  static final Map<String, Kind> ORCHESTRATOR =
      Map.ofEntries(
          Map.entry("reelfarm_jobs", Kind.GAUGE),
          Map.entry("reelfarm_chunks", Kind.GAUGE),
          Map.entry("reelfarm_workers", Kind.GAUGE),
          Map.entry("reelfarm_worker_heartbeat_age_seconds", Kind.GAUGE),
          Map.entry("reelfarm_outbox_backlog_messages", Kind.GAUGE),
          Map.entry("reelfarm_dead_letters", Kind.GAUGE),
          Map.entry("reelfarm_chunk_queue_wait_seconds", Kind.HISTOGRAM),
          Map.entry("reelfarm_dispatch_latency_seconds", Kind.HISTOGRAM),
          Map.entry("reelfarm_chunk_render_seconds", Kind.HISTOGRAM),
          Map.entry("reelfarm_chunk_step_seconds", Kind.HISTOGRAM),
          Map.entry("reelfarm_job_encode_seconds", Kind.HISTOGRAM),
          Map.entry("reelfarm_jobs_succeeded_total", Kind.COUNTER),
          Map.entry("reelfarm_prompts_refused_total", Kind.COUNTER));

  static final Map<String, Kind> WORKER =
      Map.of(
          "reelfarm_worker_chunk_render_seconds", Kind.HISTOGRAM,
          "reelfarm_worker_step_seconds", Kind.HISTOGRAM,
          "reelfarm_worker_chunks_rendered_total", Kind.COUNTER,
          "reelfarm_worker_chunks_failed_total", Kind.COUNTER,
          "reelfarm_worker_device_info", Kind.GAUGE,
          "reelfarm_worker_model_loaded", Kind.GAUGE);

  static final Map<String, Kind> ENCODER =
      Map.of(
          "reelfarm_encoder_encode_seconds", Kind.HISTOGRAM,
          "reelfarm_encoder_encodes_total", Kind.COUNTER,
          "reelfarm_encoder_encodes_failed_total", Kind.COUNTER,
          "reelfarm_encoder_frames_encoded_total", Kind.COUNTER);

  /** The sample names {@code families} put in an exposition (a histogram's series included). */
  static Set<String> sampleNames(Map<String, Kind> families) {
    Set<String> names = new TreeSet<>();
    families.forEach(
        (name, kind) -> {
          if (kind == Kind.HISTOGRAM) {
            for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"})
              names.add(name + suffix);
          } else {
            names.add(name);
          }
        });
    return names;
  }

  /** Every service's sample names. */
  static Set<String> allSampleNames() {
    Set<String> all = new TreeSet<>(sampleNames(ORCHESTRATOR));
    all.addAll(sampleNames(WORKER));
    all.addAll(sampleNames(ENCODER));
    return all;
  }

  private ExportedMetrics() {}
}
