package dev.reelfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.messages.ChunkEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser against a real farm: headless Debian Chromium, driven by
 * Playwright ({@code deploy/e2e/src/test/js/dashboard-e2e.mjs}), submits a render through the form
 * and watches it to a playable MP4, rates it (stars, a tag, a comment), watches a job fail with its
 * reason, cancels a running job, and approves a storyboard shown with its keyframes; the rating,
 * the cancellation and the approval are then checked through the API and in PostgreSQL.
 *
 * <p>Needs {@code /usr/bin/chromium} (Debian package {@code chromium}) and Node.js 18+ with npm;
 * without them it fails, naming what to install, rather than skipping.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DashboardBrowserIT {
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final String INSTALL_HINT =
      "DashboardBrowserIT drives the dashboard in Debian Chromium with Node.js: .ci/run must install them"
          + " (apt-get install -y chromium nodejs npm)";

  /**
   * The worker's error the harness injects; the dashboard must show it as the failed job's reason.
   */
  private static final String INJECTED_ERROR =
      "simulated out-of-memory injected by DashboardBrowserIT";

  /** Covers the whole browser script (its own watchdog is 420 s). */
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(480);

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  static Path jsDir;
  static Path outDir;

  @BeforeAll
  static void start() throws Exception {
    requireBrowserTooling();
    Path root = RepoLayout.locate().root();
    jsDir = root.resolve("deploy/e2e/src/test/js");
    outDir = root.resolve("deploy/target/dashboard-e2e");
    deleteRecursively(outDir);
    Files.createDirectories(outDir);
    // npm records what it installed in node_modules/.package-lock.json: reinstall when the lock
    // file is newer (someone bumped playwright-core) or nothing is installed yet.
    Path installed = jsDir.resolve("node_modules/.package-lock.json");
    if (!Files.isRegularFile(installed)
        || Files.getLastModifiedTime(jsDir.resolve("package-lock.json"))
                .compareTo(Files.getLastModifiedTime(installed))
            > 0) {
      Output npm =
          run(List.of("npm", "ci", "--no-audit", "--no-fund"), jsDir, Duration.ofMinutes(5), "npm");
      assertThat(npm.exit()).as("npm ci in %s failed:%n%s", jsDir, npm.text()).isZero();
    }
    // One worker: a chunk failing on it fails its job at once (max-attempts counts different
    // workers a chunk failed on), so the dashboard shows the failure without a second worker.
    farm =
        FarmClient.testFarm(tmp.resolve("farm"))
            .orchestratorProperty("reelfarm.chunk.max-attempts", "1")
            .start();
    client = new FarmClient(farm);
    System.out.println("farm ready: " + farm.describeTimings() + " api " + farm.apiBase());
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void renderWatchedToAPlayableClipFailureShownAndCancelStopsTheJob() throws Exception {
    // A long job (20 s at 100 steps: ~25 sequential chunks) for the harness to fail while the page
    // watches; it must still be rendering when the browser is up.
    String failing =
        client.submit(
            "{\"prompt\":\"a job the harness fails\",\"durationSeconds\":20,\"preset\":\"tiktok\","
                + "\"seed\":7,\"steps\":100,\"priority\":100}");

    // Quotas for the team panel's bars; far above what this test uses.
    assertThat(
            client
                .patch("/api/v1/teams/default", "{\"maxQueuedJobs\":50,\"gpuSecondsPerDay\":86400}")
                .status())
        .isEqualTo(200);

    Instant started = Instant.now();
    ProcessBuilder browser =
        new ProcessBuilder(
                "node",
                "dashboard-e2e.mjs",
                farm.apiBase().toString(),
                outDir.toString(),
                "--fail-job",
                failing,
                "--fail-reason",
                INJECTED_ERROR)
            .directory(jsDir.toFile())
            .redirectErrorStream(true);
    // the page logs in with the farm's admin key (in the environment, not on the command line)
    browser.environment().put("REELFARM_API_KEY", farm.adminKey());
    Process node = browser.start();
    StringBuilder log = new StringBuilder();
    Thread pump = pump(node, log);
    try {
      awaitFile(outDir.resolve("page-ready"), node, Duration.ofSeconds(120), log);
      failRunningChunk(UUID.fromString(failing), Duration.ofSeconds(90));

      boolean exited = node.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        node.destroyForcibly();
        fail("dashboard-e2e.mjs did not finish within %s; its output:%n%s", NODE_TIMEOUT, log);
      }
    } finally {
      if (node.isAlive()) node.destroyForcibly();
      pump.join(5000);
    }
    System.out.printf(
        "dashboard-e2e.mjs exited %d after %.1f s%n",
        node.exitValue(), Duration.between(started, Instant.now()).toMillis() / 1000.0);

    assertThat(node.exitValue()).as("dashboard-e2e.mjs failed; its output:%n%s", log).isZero();
    assertThat(outDir.resolve("dashboard.png")).isRegularFile();
    assertThat(Files.size(outDir.resolve("dashboard.png"))).isGreaterThan(10_000);
    JsonNode result = FarmClient.JSON.readTree(outDir.resolve("result.json").toFile());
    System.out.println("dashboard-e2e result: " + result.toPrettyString());

    JsonNode team = result.path("teamPanel");
    assertThat(team.path("share").asText()).matches("\\d+ % of chunk-seconds over .*");
    assertThat(team.path("quotas").toString())
        .contains("Jobs queued or running: ")
        .contains(" / 50")
        .contains("Chunks in flight: ");
    assertThat(team.path("quotaBars").asInt()).isEqualTo(2);

    String succeeded = result.path("jobs").path("succeeded").asText();
    String cancelled = result.path("jobs").path("cancelled").asText();
    assertThat(jobRow(succeeded).get("status")).isEqualTo("SUCCEEDED");
    // The rating given in the card reached the database as the page showed it.
    assertThat(result.path("feedback").asText()).startsWith("Saved: ★★★★ · visible-seams");
    JsonNode rated =
        client.get("/api/v1/renders/" + succeeded + "/feedback").body().get("items").get(0);
    assertThat(rated.get("rating").asInt()).isEqualTo(4);
    assertThat(rated.get("tags").toString()).isEqualTo("[\"visible-seams\"]");
    assertThat(rated.get("comment").asText()).isEqualTo("a small jump at a seam (dashboard e2e)");
    Map<String, String> failed = jobRow(failing);
    assertThat(failed.get("status")).isEqualTo("FAILED");
    assertThat(failed.get("error")).contains(INJECTED_ERROR);
    assertThat(result.path("failedReasonShown").asText()).contains(failed.get("error"));

    // The cancel pressed in the browser reached the database: the job and every chunk that had not
    // finished are CANCELLED; none is left running or queued.
    assertThat(jobRow(cancelled).get("status")).isEqualTo("CANCELLED");
    List<String> chunkStates = chunkStatuses(cancelled);
    System.out.println("cancelled job " + cancelled + " chunks: " + chunkStates);
    assertThat(chunkStates).isNotEmpty().allMatch(s -> s.equals("DONE") || s.equals("CANCELLED"));
    assertThat(chunkStates).contains("CANCELLED");

    // The storyboard approved in the browser: the job waited for it and then rendered to the end.
    String storyboard = result.path("jobs").path("storyboard").asText();
    assertThat(jobRow(storyboard).get("status")).isEqualTo("SUCCEEDED");
    assertThat(result.path("storyboardKeyframes"))
        .hasSize(4)
        .allSatisfy(size -> assertThat(size.asText()).isEqualTo("64x112"));
    assertThat(
            client.count(
                "SELECT count(*) FROM job_event WHERE type = 'approved' AND job_id = '"
                    + storyboard
                    + "'"))
        .isEqualTo(1);
  }

  /**
   * Fails whichever chunk of the job is running, as its worker would report it (fenced by the run's
   * id), until the job fails.
   */
  private static void failRunningChunk(UUID jobId, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (jobRow(jobId.toString()).get("status").equals("FAILED")) return;
      try (Connection c = client.db();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT id, run_id, worker_id, step, steps FROM chunk WHERE job_id = ? AND status = 'RUNNING' AND run_id IS NOT NULL")) {
        s.setObject(1, jobId);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            client.publish(
                new ChunkEvent.Failed(
                    ChunkEvent.SCHEMA_VERSION,
                    jobId,
                    r.getLong("id"),
                    r.getObject("run_id", UUID.class),
                    r.getString("worker_id"),
                    r.getInt("steps"),
                    INJECTED_ERROR,
                    System.currentTimeMillis()));
          }
        }
      }
      Thread.sleep(500);
    }
    fail(
        "job %s did not become FAILED within %s of injecting a chunk failure: %s",
        jobId, timeout, jobRow(jobId.toString()));
  }

  private static Map<String, String> jobRow(String id) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement("SELECT status, error FROM render_job WHERE id = ?::uuid")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as("render_job %s", id).isTrue();
        Map<String, String> row = new LinkedHashMap<>();
        row.put("status", r.getString("status"));
        row.put("error", r.getString("error"));
        return row;
      }
    }
  }

  private static List<String> chunkStatuses(String id) throws Exception {
    try (Connection c = client.db();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT status FROM chunk WHERE job_id = ?::uuid ORDER BY chunk_index")) {
      s.setString(1, id);
      List<String> states = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) states.add(r.getString(1));
      }
      return states;
    }
  }

  private static void requireBrowserTooling() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) fail("%s is missing. %s", CHROMIUM, INSTALL_HINT);
    Output version;
    try {
      version = run(List.of("node", "--version"), Path.of("."), Duration.ofSeconds(30), "node");
    } catch (IOException e) {
      throw new AssertionError("node is not on the PATH. " + INSTALL_HINT, e);
    }
    String v = version.text().strip();
    int major = v.matches("v\\d+\\..*") ? Integer.parseInt(v.substring(1, v.indexOf('.'))) : 0;
    if (major < 18) fail("node %s is too old (18 or newer needed). %s", v, INSTALL_HINT);
  }

  record Output(int exit, String text) {}

  private static Output run(List<String> command, Path dir, Duration timeout, String what)
      throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    Thread pump = pump(p, out);
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("%s did not finish within %s:%n%s", what, timeout, out);
    }
    pump.join(5000);
    return new Output(p.exitValue(), out.toString());
  }

  /** Copies a process's output to this test's stdout as it comes, and keeps it for messages. */
  private static Thread pump(Process p, StringBuilder into) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  System.out.println("  | " + line);
                  synchronized (into) {
                    into.append(line).append('\n');
                  }
                }
              } catch (IOException ignored) {
                // the process was destroyed; what was read is kept
              }
            },
            "dashboard-e2e-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void awaitFile(Path file, Process node, Duration timeout, StringBuilder log)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!Files.exists(file)) {
      if (!node.isAlive())
        fail("dashboard-e2e.mjs exited (%d) before the page was ready:%n%s", node.exitValue(), log);
      if (Instant.now().isAfter(deadline))
        fail("the dashboard did not show the job to fail within %s:%n%s", timeout, log);
      Thread.sleep(100);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
