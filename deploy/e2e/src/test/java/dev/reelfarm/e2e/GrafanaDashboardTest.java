package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.launcher.RepoLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard {@code deploy/grafana/reelfarm.json} asks only for what the farm exports.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD =
      RepoLayout.locate().root().resolve("deploy/grafana/reelfarm.json");
  private static final Pattern METRIC = Pattern.compile("\\breelfarm_[a-z0-9_]+");

  private final JsonNode dashboard = readDashboard();

  private static JsonNode readDashboard() {
    try {
      return new ObjectMapper().readTree(DASHBOARD.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> expressions() {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels"))
      for (JsonNode target : panel.get("targets")) exprs.add(target.get("expr").asText());
    return exprs;
  }

  @Test
  void everyExpressionNamesOnlyMetricsTheServicesExport() {
    Set<String> exported = ExportedMetrics.allSampleNames();
    List<String> exprs = expressions();
    assertThat(exprs).isNotEmpty();
    for (String expr : exprs) {
      Matcher m = METRIC.matcher(expr);
      List<String> named = new ArrayList<>();
      while (m.find()) named.add(m.group());
      assertThat(named).as("metrics in %s", expr).isNotEmpty();
      assertThat(exported).as("exported, for %s", expr).containsAll(named);
    }
  }

  @Test
  void theDashboardShowsTheQueueTheStatesTheTimesAndTheWorkers() {
    Set<String> used = new TreeSet<>();
    for (String expr : expressions()) {
      Matcher m = METRIC.matcher(expr);
      while (m.find()) used.add(m.group());
    }
    assertThat(used)
        .contains(
            "reelfarm_chunks",
            "reelfarm_jobs",
            "reelfarm_chunk_render_seconds_bucket",
            "reelfarm_jobs_succeeded_total",
            "reelfarm_dispatch_latency_seconds_bucket",
            "reelfarm_outbox_backlog_messages",
            "reelfarm_dead_letters",
            "reelfarm_worker_heartbeat_age_seconds");
    List<String> titles = new ArrayList<>();
    dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
    assertThat(titles)
        .contains(
            "Queue depth",
            "Chunks by state",
            "Chunk time p95",
            "Jobs per hour",
            "Dispatch latency",
            "Outbox backlog",
            "Dead letters",
            "Worker heartbeat age");
    assertThat(dashboard.get("panels"))
        .allSatisfy(
            p -> assertThat(p.at("/datasource/uid").asText()).isEqualTo("${DS_PROMETHEUS}"));
  }
}
