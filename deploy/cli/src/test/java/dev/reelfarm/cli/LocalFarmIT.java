package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.infra.Ports;
import dev.reelfarm.infra.Processes;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ServiceStartException;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One local farm (real PostgreSQL and Kafka, {@link FakeService} in place of the three services)
 * shared by the tests below; the last one checks that closing it leaves no process behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class LocalFarmIT {

  @TempDir static Path tmp;
  static RepoLayout home;
  static Path farmDir;
  static LocalFarm farm;

  @BeforeAll
  static void startFarm() throws Exception {
    home = FakeHome.create(tmp.resolve("checkout"));
    farmDir = tmp.resolve("farm");
    farm =
        LocalFarm.builder()
            .home(home.root())
            .dir(farmDir)
            .useEnvironment(false)
            .workers(2)
            .workerThreads(3)
            .serviceProperty("reelfarm.extra", "for-all")
            .start();
    System.out.println(
        "local farm (fake services) ready in "
            + farm.startupTime().toMillis()
            + " ms: "
            + farm.describeTimings());
  }

  @AfterAll
  static void stopFarm() throws Exception {
    if (farm != null) farm.close();
  }

  @Test
  @Order(1)
  void servicesGetTheInfrastructureTheFarmStarted() throws Exception {
    Properties orchestrator = recorded("orchestrator");
    assertThat(orchestrator.getProperty("reelfarm.db.url"))
        .isEqualTo(farm.jdbcUrl())
        .contains("/reelfarm");
    assertThat(orchestrator.getProperty("reelfarm.db.user")).isEqualTo(farm.dbUser());
    assertThat(orchestrator.getProperty("reelfarm.db.password")).isEqualTo(farm.dbPassword());
    assertThat(orchestrator.getProperty("reelfarm.kafka.bootstrap")).isEqualTo(farm.bootstrap());
    assertThat(orchestrator.getProperty("quarkus.http.port"))
        .isEqualTo(Integer.toString(farm.httpPort()));
    assertThat(orchestrator.getProperty("reelfarm.artifacts.dir"))
        .isEqualTo(farm.artifactsDir().toString());
    assertThat(orchestrator.getProperty("reelfarm.model.bundle"))
        .isEqualTo(home.root().resolve(RepoLayout.FIXTURE_BUNDLE).toString());
    assertThat(orchestrator.getProperty("reelfarm.extra")).isEqualTo("for-all");
    assertThat(farm.modelIsTestFixture()).isTrue();

    for (int n = 1; n <= 2; n++) {
      Properties worker = recorded("worker-" + n);
      assertThat(worker.getProperty("reelfarm.worker.id")).isEqualTo("worker-" + n);
      assertThat(worker.getProperty("reelfarm.worker.threads")).isEqualTo("3");
      assertThat(worker.getProperty("reelfarm.kafka.bootstrap")).isEqualTo(farm.bootstrap());
      assertThat(worker.getProperty("reelfarm.artifacts.dir"))
          .isEqualTo(farm.artifactsDir().toString());
    }
    assertThat(recorded("encoder-1").getProperty("reelfarm.kafka.bootstrap"))
        .isEqualTo(farm.bootstrap());
  }

  @Test
  @Order(2)
  void everyComponentReportsItsStartupTime() {
    assertThat(farm.startupTimings().keySet())
        .containsExactly(
            "postgres", "kafka", "orchestrator", "worker-1", "worker-2", "encoder", "total");
    assertThat(farm.startupTimings().values()).allMatch(d -> d.compareTo(Duration.ZERO) > 0);
    assertThat(farm.logsDir().resolve("orchestrator.log"))
        .content()
        .contains("fake orchestrator: database reelfarm");
  }

  @Test
  @Order(3)
  void aSecondFarmInTheSameDirectoryIsRefusedWithoutTouchingTheFirst() throws Exception {
    assertThatThrownBy(
            () -> LocalFarm.builder().home(home.root()).dir(farmDir).useEnvironment(false).start())
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("another local farm is running from " + farmDir);
    assertThat(farm.services()).allMatch(ServiceProcess::isAlive);
    assertThat(farmDir.resolve("pids")).exists(); // the refused farm left the first one's files
    assertThat(farmDir.resolve("farm.pid")).hasContent(ProcessHandle.current().pid() + "\n");
    assertThat(get(farm.apiBase().resolve("/q/health/ready")).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void aWorkerKilledHardIsGoneAndAnotherCanBeAdded() throws Exception {
    ServiceProcess first = farm.workers().get(0);
    first.killHard();
    assertThat(first.isAlive()).isFalse();
    assertThat(first.exitCode()).hasValue(137);

    ServiceProcess added = farm.addWorker();
    assertThat(added.name()).isEqualTo("worker-3");
    assertThat(added.isAlive()).isTrue();
    assertThat(farm.workers())
        .extracting(ServiceProcess::name)
        .containsExactly("worker-1", "worker-2", "worker-3");
    assertThat(farm.startupTimings()).containsKey("worker-3");
  }

  @Test
  @Order(5)
  void renderWithApiWritesTheVideoAndSplitsTheTime() throws Exception {
    Path out = tmp.resolve("out/clip.mp4");
    var result =
        cli(
            "render",
            "a red circle",
            "--seconds",
            "4",
            "--seed",
            "7",
            "--out",
            out.toString(),
            "--api",
            farm.apiBase().toString());
    assertThat(result.code).as(result.err).isZero();
    assertThat(out).hasBinaryContent(FakeService.VIDEO);
    assertThat(result.out).contains("wrote " + out).contains("rendering").contains("encoding");
    assertThat(result.err).contains("submitted").contains("chunks 2/2");
  }

  @Test
  @Order(6)
  void renderOfAFailingJobExitsOneWithTheJobsError() throws Exception {
    var result =
        cli(
            "render",
            "please fail",
            "--api",
            farm.apiBase().toString(),
            "--out",
            tmp.resolve("x.mp4").toString());
    assertThat(result.code).isEqualTo(1);
    assertThat(result.err).contains("FAILED: boom: chunk 1 failed 3 times");
    assertThat(tmp.resolve("x.mp4")).doesNotExist();
  }

  @Test
  @Order(7)
  void aRejectedRequestExitsTwoNamingTheField() throws Exception {
    var result = cli("render", " ", "--api", farm.apiBase().toString());
    assertThat(result.code).isEqualTo(2);
    assertThat(result.err).contains("rejected the request: prompt: must not be empty");
  }

  @Test
  @Order(8)
  void statusPrintsAJobAndItsChunks() throws Exception {
    var submitted =
        cli(
            "render",
            "status check",
            "--api",
            farm.apiBase().toString(),
            "--out",
            tmp.resolve("s.mp4").toString());
    assertThat(submitted.code).isZero();
    String id =
        submitted
            .err
            .lines()
            .filter(l -> l.contains(" submitted"))
            .findFirst()
            .orElseThrow()
            .split(" ")[2];
    var result = cli("status", id, "--api", farm.apiBase().toString());
    assertThat(result.code).as(result.err).isZero();
    assertThat(result.out).contains("SUCCEEDED").contains("worker-2").contains("10/10");
    assertThat(cli("status", "nope", "--api", farm.apiBase().toString()).code).isEqualTo(1);
  }

  @Test
  @Order(99)
  void closingStopsEveryProcessAndFreesThePorts() throws Exception {
    List<ProcessHandle> before = FarmProcesses.running(farmDir);
    assertThat(before)
        .hasSizeGreaterThanOrEqualTo(5); // postgres, kafka, orchestrator, 2 workers, encoder
    int pgPort = farm.postgres().orElseThrow().port();
    int kafkaPort = farm.kafka().orElseThrow().port();
    farm.close();
    assertThat(FarmProcesses.running(farmDir)).isEmpty();
    assertThat(before).noneMatch(Processes::isRunning);
    assertThat(Ports.listening(farm.httpPort())).isFalse();
    assertThat(Ports.listening(pgPort)).isFalse();
    assertThat(Ports.listening(kafkaPort)).isFalse();
    assertThat(farmDir.resolve("pids")).doesNotExist();
  }

  private static Properties recorded(String name) throws Exception {
    var props = new Properties();
    try (var r =
        Files.newBufferedReader(farm.artifactsDir().resolve("fake-" + name + ".properties"))) {
      props.load(r);
    }
    return props;
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  record CliResult(int code, String out, String err) {}

  static CliResult cli(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code =
        ReelfarmCli.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliResult(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
