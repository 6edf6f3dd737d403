package dev.reelfarm.orchestrator.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Keeps {@code /q/metrics} within Prometheus' conventions, as {@code promtool check metrics} checks
 * them: the framework's meters without a description (some of Vert.x's HTTP and Netty's) are left
 * out, as are three that break them however described: {@code process_cpu_time_ns_total} (an
 * abbreviated unit), {@code system_cpu_count} (a gauge named like a histogram's count) and the
 * open-connections timer {@code http_server_connections_seconds} (its series lack help text).
 */
@Singleton
public class ExpositionFilter {
  private static final Set<String> NONCONFORMING =
      Set.of("process.cpu.time", "system.cpu.count", "http.server.connections");

  @Produces
  @Singleton
  MeterFilter conventions() {
    return MeterFilter.deny(
        id ->
            id.getDescription() == null
                || id.getDescription().isBlank()
                || NONCONFORMING.contains(id.getName()));
  }
}
