package dev.reelfarm.e2e.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.infra.S3ProxyServer;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.mediaqa.VideoProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A farm across four hosts ({@link NetnsHosts}): A runs PostgreSQL, Kafka, S3Proxy and the
 * orchestrator on the S3 artifact store ({@link FarmOnHost}); B and C each a worker joined with
 * {@code ./reelfarm worker --join} from an empty working directory that holds only its copy of the
 * bundle; D the encoder, joined with {@code ./reelfarm encoder --join}. The farm on A advertises
 * A's address ({@code up --advertise}): its API, Kafka's second listener and S3Proxy listen on
 * every interface, and the join payload names A's address for Kafka and S3, so the joined hosts
 * reach A with no relay; only the test's own database queries go through a {@link NetnsPortForward}
 * relay (PostgreSQL stays on A's loopback). The namespaces share one file system, so the test
 * checks that nothing moved through it: the joined services' directories (their scratch directories
 * inside) hold no artifacts afterwards and A's local artifacts directory stays unused. Prints which
 * host rendered which chunk, the bytes each job stored in S3 and the time from B's link going down
 * to its chunk restarting on C; the video of the job that lost B mid-chunk is compared frame by
 * frame with the undisturbed job's and with a one-machine farm's render of the same request.
 */
@Timeout(900)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostIT {

  /** Four independent one-second chunks, long enough (40 steps) to pull a cable mid-chunk. */
  private static final String REQUEST =
      "{\"prompt\":\"a red circle on a green field\",\"durationSeconds\":4,\"seed\":11,\"steps\":40,\"mode\":\"independent\"}";

  private static final int HTTP_PORT = 18080;
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(400);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Kept when a test fails: the hosts' logs and S3Proxy's bucket are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path tmp;

  static NetnsHosts hosts;
  static final List<Process> processes = new ArrayList<>();
  static Process farm;
  static Map<String, String> farmInfo;
  static String api;

  /** The admin key of the farm {@link #api} names (auth is on by default). */
  static String apiKey;

  static Path checkout;
  static final Map<String, Path> dirs = new LinkedHashMap<>();
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static String referenceJob;
  static String linkDownJob;

  @BeforeAll
  static void startHosts() throws Exception {
    NetnsHosts.unavailable().ifPresent(why -> Assumptions.abort("multi-host test skipped: " + why));
    checkout = RepoLayout.locate().root();
    Path bundle = checkout.resolve(RepoLayout.FIXTURE_BUNDLE);
    hosts = NetnsHosts.create("a", "b", "c", "d");
    hosts.attachThisMachine();
    String a = hosts.address("a");
    for (String h : List.of("a", "b", "c", "d"))
      dirs.put(h, Files.createDirectories(tmp.resolve(h)));
    farm =
        start(
            "a",
            List.of(
                java(),
                // The host's working directory is outside the checkout, and with `-pl deploy/e2e`
                // the launcher is a jar in ~/.m2: neither leads RepoLayout to the checkout.
                "-Dreelfarm.home=" + checkout,
                "-cp",
                System.getProperty("java.class.path"),
                FarmOnHost.class.getName(),
                dirs.get("a").resolve("farm").toString(),
                Integer.toString(HTTP_PORT),
                bundle.toString(),
                a,
                "reelfarm.chunk.lease-seconds=8",
                "reelfarm.workers.live-seconds=8"));
    String line = awaitLine(tmp.resolve("a.log"), "FARM ", Duration.ofSeconds(240), farm);
    farmInfo = new HashMap<>();
    for (String kv : line.substring(line.indexOf("FARM ") + 5).split(" ")) {
      String[] p = kv.split("=", 2);
      farmInfo.put(p[0], p[1]);
    }
    forward("a", a, farmInfo.get("pg"), "127.0.0.1", farmInfo.get("pg"));
    api = "http://" + a + ":" + HTTP_PORT;
    assertJoinNamesAddressOf(a);
    apiKey = LocalFarm.adminKeyIn(dirs.get("a").resolve("farm")).orElseThrow();
    for (String h : List.of("b", "c")) {
      copy(bundle, dirs.get(h).resolve("bundle"));
      start(
          h,
          cli(
              "worker",
              "--join",
              api,
              "--token",
              farmInfo.get("token"),
              "--model",
              "bundle",
              "--id",
              "worker-" + h,
              "--gpus",
              "none",
              "-Dreelfarm.worker.http-port=0",
              "-Dreelfarm.worker.threads=1",
              scratchIn(h)));
    }
    start(
        "d",
        cli(
            "encoder",
            "--join",
            api,
            "--token",
            farmInfo.get("token"),
            "--id",
            "encoder-d",
            "-Dreelfarm.encoder.http-port=0",
            scratchIn("d")));
    for (String h : List.of("b", "c"))
      awaitLine(tmp.resolve(h + ".log"), "worker ready", Duration.ofSeconds(180));
    awaitLine(tmp.resolve("d.log"), "encoder ready", Duration.ofSeconds(180));
    // ready is not yet known to the orchestrator: the first job must find both workers live and
    // owning task partitions (a worker still in its group's rebalance is passed over as unroutable)
    await(
        "worker-b and worker-c registered with the orchestrator, each owning task partitions",
        Duration.ofSeconds(60),
        () ->
            queryLong(
                        "SELECT count(*) FROM worker WHERE id IN ('worker-b', 'worker-c')"
                            + " AND last_heartbeat_at > now() - interval '5 seconds'"
                            + " AND cardinality(task_partitions) > 0")
                    == 2
                ? true
                : null);
  }

  /** What a joining host is told: A's address for Kafka and S3, not A's loopback. */
  private static void assertJoinNamesAddressOf(String a) throws Exception {
    var reply =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/v1/farm/join"))
                .header("Reelfarm-Join-Token", farmInfo.get("token"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    JsonNode join = JSON.readTree(reply.body());
    assertThat(join.get("kafkaBootstrap").asText()).startsWith(a + ":");
    assertThat(join.get("artifacts").get("reelfarm.artifacts.s3.endpoint").asText())
        .startsWith("http://" + a + ":");
    assertThat(join.get("artifacts").get("reelfarm.artifacts.s3.secret-key").asText())
        .isNotEqualTo(S3ProxyServer.SECRET_KEY);
  }

  @AfterAll
  static void stopHosts() throws Exception {
    var newestFirst = new ArrayList<>(processes);
    Collections.reverse(newestFirst);
    newestFirst.forEach(Process::destroy);
    for (Process p : processes) p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    if (hosts != null) hosts.close();
  }

  @Test
  @Order(1)
  void aJobIsRenderedOnBothWorkerHostsAndTheirDirectoriesHoldNoArtifacts() throws Exception {
    referenceJob = submit();
    JsonNode done = awaitFinal(referenceJob);

    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    Map<Integer, String> renderedBy = chunkWorkers(referenceJob);
    System.out.println(
        "MULTIHOST reference job "
            + referenceJob
            + " chunk -> worker: "
            + renderedBy
            + "; S3 objects under jobs/"
            + referenceJob
            + ": "
            + s3Objects(referenceJob));
    assertThat(Set.copyOf(renderedBy.values())).containsExactlyInAnyOrder("worker-b", "worker-c");
    assertThat(
            queryLong(
                "SELECT count(*) FROM render_job WHERE id = '"
                    + referenceJob
                    + "'"
                    + " AND video_uri LIKE 's3://%'"))
        .as("the video is in S3")
        .isEqualTo(1);
    assertThat(s3Objects(referenceJob).chunkFrames()).as("chunk frames in S3").isPositive();
    assertNoArtifactsOutsideS3();
  }

  @Test
  @Order(2)
  void bsLinkDownMidChunkGetsThatChunkRenderedOnCAndTheVideoIsFrameIdentical() throws Exception {
    String job = submit();
    linkDownJob = job;
    long chunk =
        await(
            "a chunk of B's past its first step",
            Duration.ofSeconds(120),
            () ->
                queryLong(
                    "SELECT id FROM chunk WHERE job_id = '"
                        + job
                        + "' AND worker_id = 'worker-b' AND status = 'RUNNING' AND step >= 1"
                        + " LIMIT 1"));
    hosts.linkDown("b");
    long down = System.nanoTime();
    await(
        "chunk " + chunk + " restarting on C",
        Duration.ofSeconds(120),
        () ->
            queryLong(
                "SELECT id FROM chunk WHERE id = "
                    + chunk
                    + " AND worker_id = 'worker-c' AND status IN ('RUNNING', 'DONE')"));
    long restartMs = (System.nanoTime() - down) / 1_000_000;
    JsonNode done = awaitFinal(job);

    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    System.out.println(
        "MULTIHOST link-down job "
            + job
            + " chunk -> worker: "
            + chunkWorkers(job)
            + "; B's link down -> chunk "
            + queryLong("SELECT chunk_index FROM chunk WHERE id = " + chunk)
            + " restarted on C: "
            + restartMs
            + " ms; S3 objects under jobs/"
            + job
            + ": "
            + s3Objects(job));
    assertNoArtifactsOutsideS3();
    Map<Integer, String> referenceFrames = acceptedFrames(referenceJob);
    Map<Integer, String> linkDownFrames = acceptedFrames(job);
    System.out.println(
        "MULTIHOST accepted chunk frames (sha-256 prefix) reference "
            + referenceFrames
            + " link-down "
            + linkDownFrames);
    assertThat(linkDownFrames).as("each chunk's accepted frames").isEqualTo(referenceFrames);
    List<String> reference = VideoProbe.frameHashes(download(referenceJob));
    assertThat(VideoProbe.frameHashes(download(job))).isNotEmpty().isEqualTo(reference);
  }

  /** The same request on a one-machine farm (one worker, its own encoder, no namespaces). */
  @Test
  @Order(3)
  void theLinkDownJobsVideoIsFrameIdenticalToASingleHostRenderOfTheSameRequest() throws Exception {
    assertThat(linkDownJob).as("the link-down job ran").isNotNull();
    Path video = tmp.resolve("single-host.mp4");
    try (LocalFarm single =
        LocalFarm.builder()
            .dir(tmp.resolve("single-host"))
            .useEnvironment(false)
            .workers(1)
            .workerThreads(1)
            .modelBundle(checkout.resolve(RepoLayout.FIXTURE_BUNDLE))
            // beside the four hosts' JVMs the niced encoder starts slowly on a loaded machine
            .startupTimeout(Duration.ofSeconds(360))
            .start()) {
      String previousApi = api;
      String previousKey = apiKey;
      api = single.apiBase().toString();
      apiKey = single.adminKey();
      try {
        String id = submit();
        assertThat(awaitFinal(id).get("status").asText()).isEqualTo("SUCCEEDED");
        Files.move(download(id), video);
      } finally {
        api = previousApi;
        apiKey = previousKey;
      }
    }
    List<String> singleHost = VideoProbe.frameHashes(video);
    System.out.println(
        "MULTIHOST single-host render: "
            + singleHost.size()
            + " frames, identical to the link-down job's: "
            + singleHost.equals(VideoProbe.frameHashes(tmp.resolve(linkDownJob + ".mp4"))));
    assertThat(VideoProbe.frameHashes(tmp.resolve(linkDownJob + ".mp4")))
        .isNotEmpty()
        .isEqualTo(singleHost);
  }

  /**
   * B's, C's and D's directories hold nothing but B's and C's bundle (their scratch directories,
   * inside, are left empty), and A's local artifacts directory is unused: every frame, latent and
   * video went through S3.
   */
  private static void assertNoArtifactsOutsideS3() throws IOException {
    for (String h : List.of("b", "c")) {
      assertThat(filesOutside(dirs.get(h), dirs.get(h).resolve("bundle")))
          .as("host %s holds no artifacts", h)
          .isEmpty();
    }
    assertThat(filesOutside(dirs.get("d"), null)).as("host d holds no artifacts").isEmpty();
    Path local = dirs.get("a").resolve("farm/artifacts");
    assertThat(Files.exists(local) ? filesOutside(local, null) : List.<Path>of())
        .as("host a's local artifacts directory")
        .isEmpty();
  }

  /** The job's objects in S3Proxy's bucket (its filesystem backend: one file per object). */
  private static S3Usage s3Objects(String job) throws IOException {
    Path jobDir = dirs.get("a").resolve("farm/s3/data/reelfarm/jobs").resolve(job);
    long objects = 0, bytes = 0, chunkFrames = 0;
    try (Stream<Path> walk = Files.walk(jobDir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        objects++;
        bytes += Files.size(p);
        if (p.getFileName().toString().equals("frames.rgb")) chunkFrames++;
      }
    }
    return new S3Usage(objects, bytes, chunkFrames);
  }

  record S3Usage(long objects, long bytes, long chunkFrames) {
    @Override
    public String toString() {
      return objects + " objects, " + bytes + " bytes (" + chunkFrames + " chunk frame files)";
    }
  }

  /** Each chunk's accepted frames (the run its frames_uri names) in S3Proxy's bucket, hashed. */
  private static Map<Integer, String> acceptedFrames(String job) throws Exception {
    var byChunk = new LinkedHashMap<Integer, String>();
    Path bucket = dirs.get("a").resolve("farm/s3/data/reelfarm");
    try (Connection c = db();
        var s = c.createStatement();
        var r =
            s.executeQuery(
                "SELECT chunk_index, frames_uri FROM chunk WHERE job_id = '"
                    + job
                    + "' ORDER BY chunk_index")) {
      while (r.next()) {
        String key = URI.create(r.getString(2)).getPath().substring(1);
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(bucket.resolve(key)));
        byChunk.put(r.getInt(1), java.util.HexFormat.of().formatHex(digest).substring(0, 12));
      }
    }
    return byChunk;
  }

  /** A {@code -D} that keeps the joined service's S3 scratch files in its host's directory. */
  private static String scratchIn(String host) {
    return "-Dreelfarm.artifacts.scratch-dir=" + dirs.get(host).resolve("scratch");
  }

  private static HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(URI.create(api + path))
        .header("Authorization", "Bearer " + apiKey);
  }

  private static String submit() throws Exception {
    HttpResponse<String> r =
        http.send(
            authorized("/api/v1/renders")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("id").asText();
  }

  private static JsonNode awaitFinal(String id) throws Exception {
    return await(
        "job " + id + " finished",
        JOB_TIMEOUT,
        () -> {
          JsonNode job =
              JSON.readTree(
                  http.send(
                          authorized("/api/v1/renders/" + id).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body());
          return Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.get("status").asText())
              ? job
              : null;
        });
  }

  private static Path download(String id) throws Exception {
    Path to = tmp.resolve(id + ".mp4");
    HttpResponse<Path> r =
        http.send(
            authorized("/api/v1/renders/" + id + "/video").build(),
            HttpResponse.BodyHandlers.ofFile(to));
    assertThat(r.statusCode()).isEqualTo(200);
    return to;
  }

  private static Map<Integer, String> chunkWorkers(String job) throws SQLException {
    var byChunk = new LinkedHashMap<Integer, String>();
    try (Connection c = db();
        var s = c.createStatement();
        var r =
            s.executeQuery(
                "SELECT chunk_index, worker_id FROM chunk WHERE job_id = '"
                    + job
                    + "' ORDER BY chunk_index")) {
      while (r.next()) byChunk.put(r.getInt(1), r.getString(2));
    }
    return byChunk;
  }

  private static Long queryLong(String sql) throws SQLException {
    try (Connection c = db();
        var s = c.createStatement();
        var r = s.executeQuery(sql)) {
      return r.next() ? r.getLong(1) : null;
    }
  }

  private static Connection db() throws SQLException {
    String url = farmInfo.get("jdbc").replace("127.0.0.1", hosts.address("a"));
    return DriverManager.getConnection(url, farmInfo.get("user"), farmInfo.get("password"));
  }

  private static List<String> cli(String... args) {
    var command =
        new ArrayList<String>(
            List.of(
                java(),
                "-jar",
                checkout.resolve("deploy/cli/target/reelfarm-launcher.jar").toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static void forward(String host, Object... quadruples) throws Exception {
    var command =
        new ArrayList<String>(
            List.of(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                NetnsPortForward.class.getName()));
    for (Object o : quadruples) command.add(o.toString());
    Path log = tmp.resolve(host + "-forward.log");
    processes.add(
        new ProcessBuilder(hosts.command(host, command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start());
    awaitLine(log, "forwarding", Duration.ofSeconds(60));
  }

  private static Process start(String host, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(hosts.command(host, command))
            .directory(dirs.get(host).toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(host + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private static String awaitLine(Path log, String marker, Duration timeout) throws Exception {
    return awaitLine(log, marker, timeout, null);
  }

  /** Fails at once, with the log's tail, when {@code process} (if given) exits meanwhile. */
  private static String awaitLine(Path log, String marker, Duration timeout, Process process)
      throws Exception {
    try {
      return await(
          marker + " in " + log,
          timeout,
          () -> {
            String found = findMarker(log, marker);
            if (found == null && process != null && !process.isAlive())
              throw new AssertionError("the process exited (" + process.exitValue() + ")");
            return found;
          });
    } catch (AssertionError e) {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      throw new AssertionError(
          e.getMessage()
              + "; its tail:\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }
  }

  private static String findMarker(Path log, String marker) throws IOException {
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.contains(marker)).findFirst().orElse(null)
        : null;
  }

  private static <T> T await(String what, Duration timeout, Callable<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value;
      try {
        value = probe.call();
      } catch (IOException | SQLException e) {
        value = null; // not reachable yet
      }
      if (value != null) return value;
      Thread.sleep(200);
    }
    throw new AssertionError(what + ": not within " + timeout);
  }

  private static List<Path> filesOutside(Path dir, Path except) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> except == null || !p.startsWith(except))
          .toList();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
