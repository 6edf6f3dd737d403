package dev.reelfarm.e2e;

import static dev.reelfarm.e2e.FarmClient.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.launcher.LocalFarm;
import dev.reelfarm.launcher.RepoLayout;
import dev.reelfarm.schema.bundle.BundleChecksum;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./reelfarm worker --join} from a second working directory (outside the checkout, with its
 * own copy of the model bundle) adds a worker to a running farm that has none of its own: the
 * joined worker renders the job's chunks. A wrong or missing token and a different bundle are
 * refused with their exit codes and messages naming what is wrong. The CLI runs as the user runs
 * it, {@code java -jar deploy/cli/target/reelfarm-launcher.jar}.
 */
@Timeout(600)
class WorkerJoinIT {

  private static final String JOB =
      "{\"prompt\":\"a red circle on a blue background\",\"durationSeconds\":1,\"seed\":3,\"steps\":2}";
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path tmp;
  static LocalFarm farm;
  static FarmClient client;
  static RepoLayout checkout;
  static Path farmBundle;

  @BeforeAll
  static void start() {
    checkout = RepoLayout.locate();
    farmBundle = checkout.root().resolve(RepoLayout.FIXTURE_BUNDLE);
    farm = FarmClient.testFarm(tmp.resolve("farm")).workers(0).start();
    client = new FarmClient(farm);
  }

  @AfterAll
  static void stop() {
    if (farm != null) farm.close();
  }

  @Test
  void aWrongOrMissingTokenIsRefusedWithExitFiveAndSaysWhy() throws Exception {
    Path here = workingDirectory("wrong-token");
    Path bundle = copy(farmBundle, here.resolve("bundle"));

    Result wrong = runCli(here, "worker", "--join", api(), "--token", "nope", "--model", bundle);
    Result missing = runCli(here, "worker", "--join", api(), "--model", bundle.toString());
    Result encoder = runCli(here, "encoder", "--join", api(), "--token", "nope");

    assertThat(wrong.exit()).as(wrong.output()).isEqualTo(5);
    assertThat(wrong.output())
        .contains("reelfarm worker: the farm at " + api() + " refused to let this join")
        .contains("the join token is wrong");
    assertThat(missing.exit()).as(missing.output()).isEqualTo(5);
    assertThat(missing.output()).contains("a join token is required in the Reelfarm-Join-Token");
    assertThat(encoder.exit()).as(encoder.output()).isEqualTo(5);
    assertThat(encoder.output()).contains("reelfarm encoder:").contains("the join token is wrong");
  }

  @Test
  void aBundleOfTheFarmsNameWithOtherFilesIsRefusedWithExitSixNamingBothChecksums()
      throws Exception {
    Path here = workingDirectory("other-files");
    Path retrained = copy(farmBundle, here.resolve("bundle"));
    // Other files under the farm's bundle name (a retrain, a local edit): not the farm's model.
    // A bundle of a name the farm does not know would be admitted as a new model instead.
    Path manifest = retrained.resolve("bundle.json");
    Files.writeString(manifest, Files.readString(manifest) + "\n");

    Result refused =
        runCli(here, "worker", "--join", api(), "--token", farm.joinToken(), "--model", retrained);

    assertThat(refused.exit()).as(refused.output()).isEqualTo(6);
    assertThat(refused.output())
        .contains("the local model bundle differs from the farm's")
        .contains("tiny-random-bcfhw " + BundleChecksum.of(farmBundle))
        .contains("tiny-random-bcfhw " + BundleChecksum.of(retrained));
    assertThat(BundleChecksum.of(retrained)).isNotEqualTo(BundleChecksum.of(farmBundle));
  }

  @Test
  void aWorkerJoinedFromAnotherWorkingDirectoryRendersTheFarmsChunks() throws Exception {
    Path here = workingDirectory("joined");
    Path bundle = copy(farmBundle, here.resolve("bundle"));
    Path log = tmp.resolve("joined-worker.log");
    Path joinTmp = Files.createDirectories(tmp.resolve("join-tmp"));
    Process cli =
        cli(
                here,
                List.of("-Djava.io.tmpdir=" + joinTmp),
                "worker",
                "--join",
                api(),
                "--token",
                farm.joinToken(),
                "--model",
                bundle.toString(),
                "--id",
                "joined-worker",
                "--gpus",
                "none",
                "-Dreelfarm.worker.http-port=0",
                "-Dreelfarm.worker.threads=1")
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitValue(
          "the joined worker ready",
          Duration.ofSeconds(120),
          () -> Files.readString(log).contains("worker ready") ? true : null);
      assertThat(Files.readString(log))
          .contains("reelfarm worker: joined " + api() + " as joined-worker");

      String id = client.submit(JOB);
      JsonNode done = client.awaitFinal(id, Duration.ofSeconds(240));

      assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
      assertThat(
              client.count(
                  "SELECT count(*) FROM chunk WHERE job_id = '"
                      + id
                      + "' AND worker_id IS DISTINCT FROM 'joined-worker'"))
          .as("chunks rendered by another worker than the joined one")
          .isZero();
      assertThat(client.count("SELECT count(*) FROM chunk WHERE job_id = '" + id + "'"))
          .isPositive();
      assertThat(client.get("/api/v1/workers").body().findValuesAsText("id"))
          .containsExactly("joined-worker");
      assertThat(filesOutside(here, bundle))
          .as("the joined worker writes its artifacts to the farm's store only")
          .isEmpty();
      try (Stream<Path> serviceTmp = Files.list(serviceTmp(joinTmp, cli))) {
        assertThat(serviceTmp)
            .as("ONNX Runtime's native libraries, in the joined worker's own temp directory")
            .anyMatch(p -> p.getFileName().toString().startsWith("onnxruntime-java"));
      }
    } finally {
      List<ProcessHandle> worker = cli.descendants().toList();
      cli.destroy(); // SIGTERM, as systemd or Ctrl-C would stop it
      assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as("the CLI stops on SIGTERM").isTrue();
      awaitValue(
          "the joined worker stopped with its CLI",
          Duration.ofSeconds(30),
          () -> worker.stream().noneMatch(ProcessHandle::isAlive) ? true : null);
    }
    assertThat(serviceTmp(joinTmp, cli)).as("removed when the join stops").doesNotExist();
  }

  /** The temp directory the CLI gives the service it runs: one per join process. */
  private static Path serviceTmp(Path cliTmp, Process cli) {
    return cliTmp.resolve("reelfarm-joined-worker-" + cli.pid());
  }

  private record Result(int exit, String output) {}

  private static Result runCli(Path dir, Object... args) throws Exception {
    Path out = Files.createTempFile(tmp, "cli-", ".log");
    Process p = cli(dir, List.of(), args).redirectOutput(out.toFile()).start();
    boolean finished = p.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      // a CLI that did not exit (a worker that joined after all) must not outlive its test
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    assertThat(finished).as("CLI finished: %s", Files.readString(out)).isTrue();
    return new Result(p.exitValue(), Files.readString(out));
  }

  private static ProcessBuilder cli(Path dir, List<String> jvmOptions, Object... args) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(checkout.root().resolve("deploy/cli/target/reelfarm-launcher.jar").toString());
    for (Object a : args) command.add(a.toString());
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("REELFARM_JOIN_TOKEN");
    return pb.redirectErrorStream(true);
  }

  private static String api() {
    return farm.apiBase().toString();
  }

  private static Path workingDirectory(String name) throws IOException {
    return Files.createDirectories(tmp.resolve("hosts").resolve(name));
  }

  private static List<Path> filesOutside(Path dir, Path except) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(except)).toList();
    }
  }

  private static Path copy(Path bundle, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(bundle)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(bundle.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }
}
