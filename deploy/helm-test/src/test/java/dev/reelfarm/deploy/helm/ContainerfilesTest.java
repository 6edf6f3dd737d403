package dev.reelfarm.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.launcher.RepoLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Containerfiles cannot be built here (no container engine), so what can be checked without one
 * is: each copies what the Maven build produces where the launcher finds it, runs it as a non-root
 * user, checks its health, and listens on the port the chart probes.
 */
class ContainerfilesTest {
  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final Path CONTAINERS = ROOT.resolve("deploy/containers");
  private static final RepoLayout LAYOUT = new RepoLayout(ROOT);
  private static final Pattern ENTRYPOINT_JAR =
      Pattern.compile("ENTRYPOINT \\[\"java\", \"-jar\", \"([^\"]+)\"]");

  @Test
  void orchestratorImageRunsTheQuarkusFastJar() throws IOException {
    Containerfile file = Containerfile.read("orchestrator");
    Path app = LAYOUT.orchestratorJar().getParent();

    assertThat(file.build()).contains("-pl orchestrator -am package");
    String target = file.copyTarget(app);
    assertThat(file.entrypointJar()).isEqualTo(target + LAYOUT.orchestratorJar().getFileName());
    file.assertRuntime("eclipse-temurin:17-jre", 8080);
  }

  @Test
  void workerImagesRunTheWorkerJarWithItsLibraries() throws IOException {
    for (String name : List.of("worker", "worker-cuda")) {
      Containerfile file = Containerfile.read(name);
      Path jar = LAYOUT.workerJar();

      String target = file.copyTarget(jar);
      file.copyTarget(jar.resolveSibling("lib"));
      assertThat(file.entrypointJar()).isEqualTo(target + jar.getFileName());
      assertThat(file.runtime()).contains("/opt/reelfarm/models/tiny-shapes");
      file.assertRuntime(name.equals("worker") ? "eclipse-temurin:17-jre" : "nvidia/cuda:", 8081);
    }
    Containerfile cuda = Containerfile.read("worker-cuda");
    assertThat(cuda.build()).contains("-Pcuda -pl worker -am package");
    assertThat(cuda.runtime()).contains("COPY --from=jre /opt/java/openjdk /opt/java/openjdk");
    assertThat(Containerfile.read("worker").build()).doesNotContain("-Pcuda");
  }

  @Test
  void encoderImageRunsTheEncoderJarWithItsLibraries() throws IOException {
    Containerfile file = Containerfile.read("encoder");
    Path jar = LAYOUT.encoderJar();

    String target = file.copyTarget(jar);
    file.copyTarget(jar.resolveSibling("lib"));
    assertThat(file.entrypointJar()).isEqualTo(target + jar.getFileName());
    file.assertRuntime("eclipse-temurin:17-jre", 8082);
  }

  @Test
  void theChartProbesThePortsTheImagesExpose() {
    RenderedChart chart = RenderedChart.render();
    for (var expected : List.of("orchestrator:8080", "worker:8081", "encoder:8082")) {
      String[] componentPort = expected.split(":");
      assertThat(
              RenderedChart.container(chart.deployment(componentPort[0]))
                  .at("/ports/0/containerPort")
                  .asInt())
          .isEqualTo(Integer.parseInt(componentPort[1]));
    }
  }

  /** A Containerfile's build stage (the first) and runtime stage (the last). */
  private record Containerfile(String name, String build, String runtime) {
    static Containerfile read(String name) throws IOException {
      String text = Files.readString(CONTAINERS.resolve(name + ".Containerfile"));
      List<String> stages = new ArrayList<>(List.of(text.split("(?m)^(?=FROM )")));
      stages.removeIf(stage -> !stage.startsWith("FROM "));
      assertThat(stages.get(0))
          .startsWith("FROM docker.io/library/eclipse-temurin:17-jdk AS build");
      return new Containerfile(name, stages.get(0), stages.get(stages.size() - 1));
    }

    /** Where the runtime stage copies {@code built} (a path the Maven build produces) to. */
    String copyTarget(Path built) {
      String source = "/src/" + ROOT.relativize(built);
      Matcher copy =
          Pattern.compile("COPY --from=build " + Pattern.quote(source) + "/? (\\S+)")
              .matcher(runtime);
      assertThat(copy.find()).as("%s copies %s", name, source).isTrue();
      return copy.group(1);
    }

    String entrypointJar() {
      Matcher entrypoint = ENTRYPOINT_JAR.matcher(runtime);
      assertThat(entrypoint.find()).as("%s: exec-form java -jar entrypoint", name).isTrue();
      return entrypoint.group(1);
    }

    void assertRuntime(String base, int port) {
      assertThat(runtime).as(name).contains(base).contains("USER 10001:10001");
      assertThat(runtime).contains("EXPOSE " + port).contains("HEALTHCHECK ");
      assertThat(runtime)
          .containsPattern(
              "CMD curl -fsS \"http://127.0.0.1:\\$\\{[A-Z_]+(:-" + port + ")?}/q/health/live\"");
    }
  }
}
