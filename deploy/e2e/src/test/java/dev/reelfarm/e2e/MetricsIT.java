package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.launcher.LocalFarm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service's {@code /q/metrics} on a real farm after one render: the orchestrator's, each
 * worker's and the encoder's exposition passes {@code promtool check metrics} and counts what the
 * render did (its chunks, its job, the histograms' observations).
 */
@Timeout(600)
class MetricsIT {
  private static final String REQUEST =
      "{\"prompt\":\"a red circle on a blue background\",\"durationSeconds\":2,\"steps\":2}";

  /** The port a worker or encoder logs once ready ({@code health=:PORT}). */
  private static final Pattern HEALTH_PORT = Pattern.compile(" ready: .* health=:(\\d+)");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  static int chunks;

  @BeforeAll
  static void renderOnce() throws Exception {
    Promtool.require(); // before minutes of farm start-up
    farm = FarmClient.testFarm(tmp.resolve("farm")).start();
    client = new FarmClient(farm);
    String id = client.submit(REQUEST);
    JsonNode job = client.awaitFinal(id, Duration.ofSeconds(240));
    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("SUCCEEDED");
    chunks = job.get("chunks").size();
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void theOrchestratorExportsTheFarmsStateAndTheRendersTimesCleanly() throws Exception {
    // The gauges are refreshed every few seconds: wait for a refresh that saw the job finish.
    Exposition m =
        FarmClient.awaitValue(
            "the job counted SUCCEEDED",
            Duration.ofSeconds(30),
            () -> {
              Exposition e = scrape(farm.apiBase().resolve("/q/metrics"));
              return e.value("reelfarm_jobs{state=\"SUCCEEDED\"}") >= 1 ? e : null;
            });
    Promtool.assertClean("the orchestrator's /q/metrics", m.text());
    assertExports(m, ExportedMetrics.ORCHESTRATOR);

    assertThat(m.value("reelfarm_chunks{state=\"DONE\"}")).isEqualTo(chunks);
    assertThat(m.value("reelfarm_chunks{state=\"READY\"}")).isZero();
    assertThat(m.value("reelfarm_jobs{state=\"QUEUED\"}")).isZero();
    assertThat(m.value("reelfarm_chunk_queue_wait_seconds_count")).isEqualTo(chunks);
    assertThat(m.value("reelfarm_chunk_render_seconds_count")).isEqualTo(chunks);
    assertThat(m.value("reelfarm_chunk_render_seconds_sum")).isPositive();
    assertThat(m.value("reelfarm_chunk_render_seconds_bucket{le=\"+Inf\"}")).isEqualTo(chunks);
    assertThat(m.value("reelfarm_chunk_step_seconds_count")).isEqualTo(chunks);
    assertThat(m.value("reelfarm_dispatch_latency_seconds_count")).isPositive();
    assertThat(m.value("reelfarm_jobs_succeeded_total")).isEqualTo(1);
    assertThat(m.value("reelfarm_job_encode_seconds_count")).isEqualTo(1);
    assertThat(m.value("reelfarm_outbox_backlog_messages")).isNotNaN();
    assertThat(m.value("reelfarm_dead_letters")).isZero();
    assertThat(m.sum("reelfarm_workers")).as("every worker in one state").isEqualTo(2);
    assertThat(m.count("reelfarm_worker_heartbeat_age_seconds")).isEqualTo(2);
    assertThat(m.sum("reelfarm_worker_heartbeat_age_seconds")).isBetween(0.0, 60.0);
  }

  @Test
  void eachWorkerExportsItsRendersDeviceAndModelCleanly() throws Exception {
    double rendered = 0;
    for (ServiceProcess worker : farm.workers()) {
      Exposition m = scrape(metricsOf(worker));
      Promtool.assertClean(worker.name() + "'s /q/metrics", m.text());
      assertExports(m, ExportedMetrics.WORKER);
      assertThat(m.value("reelfarm_worker_device_info{device=\"CPU\"}")).isEqualTo(1);
      assertThat(m.count("reelfarm_worker_model_loaded")).isEqualTo(1);
      assertThat(m.value("reelfarm_worker_chunks_failed_total")).isZero();
      double mine = m.value("reelfarm_worker_chunks_rendered_total");
      assertThat(m.value("reelfarm_worker_chunk_render_seconds_count")).isEqualTo(mine);
      assertThat(m.value("reelfarm_worker_step_seconds_count"))
          .as("steps after the first")
          .isEqualTo(mine);
      rendered += mine;
    }
    assertThat(rendered).as("the job's chunks, over both workers").isEqualTo(chunks);
  }

  @Test
  void theEncoderExportsItsEncodeCleanly() throws Exception {
    Exposition m = scrape(metricsOf(farm.encoder()));
    Promtool.assertClean("the encoder's /q/metrics", m.text());
    assertExports(m, ExportedMetrics.ENCODER);
    assertThat(m.value("reelfarm_encoder_encodes_total")).isEqualTo(1);
    assertThat(m.value("reelfarm_encoder_encodes_failed_total")).isZero();
    assertThat(m.value("reelfarm_encoder_encode_seconds_count")).isEqualTo(1);
    assertThat(m.value("reelfarm_encoder_encode_seconds_sum")).isPositive();
    assertThat(m.value("reelfarm_encoder_frames_encoded_total")).isEqualTo(60); // 2 s at 30 fps
  }

  /** The farm's own samples in {@code m} are exactly those of {@code families}. */
  private static void assertExports(Exposition m, Map<String, ExportedMetrics.Kind> families) {
    Set<String> farmSamples = new TreeSet<>();
    for (String series : m.series().keySet()) {
      String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (name.startsWith("reelfarm_")) farmSamples.add(name);
    }
    assertThat(farmSamples).isEqualTo(ExportedMetrics.sampleNames(families));
  }

  /** The metrics URL of a worker or the encoder: its health port, from its ready line. */
  private static URI metricsOf(ServiceProcess service) throws Exception {
    for (String line : Files.readAllLines(service.logFile())) {
      Matcher m = HEALTH_PORT.matcher(line);
      if (m.find()) return URI.create("http://127.0.0.1:" + m.group(1) + "/q/metrics");
    }
    throw new AssertionError(service.name() + " logged no health port: " + service.logTail(20));
  }

  private static Exposition scrape(URI uri) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(uri)
                // The Prometheus text format, which promtool lints (Quarkus answers OpenMetrics
                // when not asked).
                .header("Accept", "text/plain; version=0.0.4")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
    return Exposition.parse(r.body());
  }
}
