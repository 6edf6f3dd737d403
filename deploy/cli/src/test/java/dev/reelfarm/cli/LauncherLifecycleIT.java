package dev.reelfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.infra.Classpath;
import dev.reelfarm.infra.Ports;
import dev.reelfarm.infra.Processes;
import dev.reelfarm.infra.ReadinessCheck;
import dev.reelfarm.infra.ServiceProcess;
import dev.reelfarm.infra.ServiceStartException;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.launcher.ServiceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up failures and shutdown of the launcher itself, with {@link FakeService} in place of the
 * services: whatever happens, no process of the farm is left running.
 */
@Timeout(240)
class LauncherLifecycleIT {

  @TempDir Path tmp;

  @AfterEach
  void clearHome() {
    System.clearProperty("reelfarm.home");
  }

  @Test
  void upStopsEveryProcessItStartedOnSigterm() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Path farmDir = tmp.resolve("farm");
    ServiceProcess launcher = startUp(home, farmDir);
    List<ProcessHandle> farmProcesses = FarmProcesses.running(farmDir);
    // postgres, kafka, orchestrator, 2 workers, encoder
    assertThat(farmProcesses).hasSizeGreaterThanOrEqualTo(6);

    launcher.stop(Duration.ofSeconds(90)); // SIGTERM, as Ctrl-C's SIGINT: the same shutdown hook

    assertThat(launcher.exitCode()).hasValue(143);
    assertThat(farmProcesses).noneMatch(Processes::isRunning);
    assertThat(FarmProcesses.running(farmDir)).isEmpty();
    assertThat(launcher.logTail(50)).anyMatch(l -> l.contains("stopping the farm"));
  }

  @Test
  void aSecondSigtermDuringTheTeardownStillStopsKafkaAndPostgres() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Path farmDir = tmp.resolve("farm");
    ServiceProcess launcher = startUp(home, farmDir);
    List<ProcessHandle> farmProcesses = FarmProcesses.running(farmDir);

    launcher.requestStop();
    launcher.awaitReady(ReadinessCheck.logLine("stopping the farm"), Duration.ofSeconds(30));
    launcher.requestStop(); // while the services, Kafka and PostgreSQL are being stopped
    launcher.awaitStop(Duration.ofSeconds(90));

    assertThat(launcher.exitCode()).hasValue(143);
    assertThat(farmProcesses).noneMatch(Processes::isRunning);
    assertThat(FarmProcesses.running(farmDir)).isEmpty();
  }

  @Test
  void upRestartsAComponentKilledHardAndStatusShowsTheRestart() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Path farmDir = tmp.resolve("farm");
    int port = Ports.free();
    ServiceProcess launcher = startUp(home, farmDir, port);
    try {
      for (String name : List.of("worker-1", "kafka", "postgres", "orchestrator")) {
        ServiceStatus before = supervised(farmDir, name);
        ProcessHandle.of(before.pid()).orElseThrow().destroyForcibly();
        long t0 = System.nanoTime();
        ServiceStatus after =
            awaitSupervised(farmDir, name, s -> s.restarts() == 1 && s.state().equals("up"));
        System.out.printf(
            "up: %s kill -9 -> restarted and ready in %d ms%n",
            name, (System.nanoTime() - t0) / 1_000_000);
        assertThat(after.pid()).isNotEqualTo(before.pid());
        assertThat(after.lastExit()).startsWith(name.equals("postgres") ? "died" : "code 137");
      }
      assertThat(launcher.logTail(200))
          .anyMatch(l -> l.contains("worker-1 exited (code 137") && l.contains("restarting it"))
          .anyMatch(l -> l.contains("kafka restarted in"));

      var status =
          LocalFarmIT.cli(
              "status", "--dir", farmDir.toString(), "--api", "http://127.0.0.1:" + port);
      assertThat(status.code()).as(status.err()).isZero();
      assertThat(status.out())
          .containsPattern("worker-1 +[0-9]+ +up +1 +code 137 at ")
          .containsPattern("postgres +[0-9]+ +up +1 +died at ")
          .containsPattern("encoder +[0-9]+ +up +0 +-");
    } finally {
      launcher.stop(Duration.ofSeconds(90));
    }
    assertThat(FarmProcesses.running(farmDir)).isEmpty();
  }

  private static ServiceStatus supervised(Path farmDir, String name) {
    return ServiceStatus.ofRunningFarm(farmDir).orElseThrow().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + farmDir));
  }

  private static ServiceStatus awaitSupervised(
      Path farmDir, String name, java.util.function.Predicate<ServiceStatus> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    ServiceStatus last = null;
    while (System.nanoTime() < deadline) {
      last = supervised(farmDir, name);
      if (condition.test(last)) return last;
      Thread.sleep(100);
    }
    throw new AssertionError(name + " not restarted in time: " + last);
  }

  @Test
  void leftoversOfAKilledLauncherAreStoppedByTheNextFarmInTheSameDirectory() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Path farmDir = tmp.resolve("farm");
    ServiceProcess launcher = startUp(home, farmDir);
    launcher.killHard(); // no shutdown hook runs: its children are orphaned
    List<ProcessHandle> orphans = FarmProcesses.running(farmDir);
    assertThat(orphans).hasSizeGreaterThanOrEqualTo(6);

    try (LocalFarm next =
        LocalFarm.builder().home(home.root()).dir(farmDir).useEnvironment(false).start()) {
      assertThat(orphans).noneMatch(Processes::isRunning);
      assertThat(next.services()).allMatch(ServiceProcess::isAlive);
    }
    assertThat(FarmProcesses.running(farmDir)).isEmpty();
  }

  @Test
  void renderStartsAFarmWritesTheVideoAndLeavesNothingRunning() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Path farmDir = tmp.resolve("farm");
    Path out = tmp.resolve("clip.mp4");
    System.setProperty("reelfarm.home", home.root().toString());

    var result =
        LocalFarmIT.cli(
            "render",
            "a red circle moving right",
            "--dir",
            farmDir.toString(),
            "--out",
            out.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(out).hasBinaryContent(FakeService.VIDEO);
    assertThat(result.out())
        .containsPattern(
            "time [0-9.]+ s = start-up [0-9.]+ s \\+ rendering [0-9.]+ s \\+ encoding [0-9.]+ s")
        .contains("start-up: postgres")
        .contains("TEST FIXTURE");
    assertThat(FarmProcesses.running(farmDir)).isEmpty();
  }

  @Test
  void aServiceThatDiesDuringStartupFailsTheStartWithItsLogAndStopsTheRest() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Path farmDir = tmp.resolve("farm");
    long t0 = System.nanoTime();

    assertThatThrownBy(
            () ->
                LocalFarm.builder()
                    .home(home.root())
                    .dir(farmDir)
                    .useEnvironment(false)
                    .workerProperty("fake.exit", "7")
                    .start())
        .isInstanceOfSatisfying(
            ServiceStartException.class,
            e -> {
              assertThat(e.component()).isEqualTo("worker-1");
              assertThat(e.getMessage())
                  .contains("exited with code 7")
                  .contains("fake worker-1: told to fail with 7")
                  .contains(farmDir.resolve("logs/worker-1.log").toString());
            });

    assertThat(FarmProcesses.running(farmDir)).isEmpty();
    System.out.printf("failed start reported in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void missingServiceJarsAreReportedBeforeAnythingStarts() throws Exception {
    RepoLayout home = FakeHome.create(tmp.resolve("checkout"));
    Files.delete(home.encoderJar());
    System.setProperty("reelfarm.home", home.root().toString());
    long t0 = System.nanoTime();

    var result = LocalFarmIT.cli("render", "a red circle", "--dir", tmp.resolve("farm").toString());

    assertThat(result.code()).isEqualTo(ExitCodes.START_FAILED);
    assertThat(result.err())
        .contains("encoder failed to start: not built: encoder/target/reelfarm-encoder.jar missing")
        .contains("./mvnw -B install -DskipTests");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  private ServiceProcess startUp(RepoLayout home, Path farmDir) throws Exception {
    return startUp(home, farmDir, Ports.free());
  }

  /** {@code reelfarm up} in a child JVM, as a user runs it; returns once the banner is printed. */
  private ServiceProcess startUp(RepoLayout home, Path farmDir, int port) throws Exception {
    return ServiceProcess.builder("launcher")
        .classpath(Classpath.current())
        .mainClass(ReelfarmCli.class.getName())
        .systemProperty("reelfarm.home", home.root().toString())
        .args("up", "--port", Integer.toString(port), "--workers", "2", "--dir", farmDir.toString())
        .logFile(tmp.resolve("launcher.log"))
        .start()
        .awaitReady(ReadinessCheck.logLine("Ctrl-C stops the farm"), Duration.ofSeconds(180));
  }
}
