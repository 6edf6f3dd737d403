package dev.reelfarm.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ServiceProcessTest {

  @TempDir Path dir;

  /** A child JVM for these tests: prints its arguments one per line, then what it is told. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      for (String a : args) System.out.println(a);
      System.out.println(
          "prop=" + System.getProperty("child.prop") + " env=" + System.getenv("CHILD_ENV"));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
      switch (System.getProperty("child.mode", "serve")) {
        case "exit" -> System.exit(3);
        case "leave-temp-file" -> {
          // What ONNX Runtime does with its native libraries: a killed JVM never deletes them.
          Path file = Files.createTempFile("native-", ".so");
          System.out.println("left " + file);
          System.out.println("child ready");
          Thread.sleep(60_000);
        }
        case "ignore-term" -> {
          sun.misc.Signal.handle(
              new sun.misc.Signal("TERM"), s -> System.out.println("ignoring TERM"));
          System.out.println("child ready");
          Thread.sleep(60_000);
        }
        default -> {
          System.out.println("child ready");
          Thread.sleep(60_000);
        }
      }
    }
  }

  private ServiceProcess.Builder child(String mode) {
    return ServiceProcess.builder("child")
        .classpath(Classpath.current())
        .mainClass(Child.class.getName())
        .systemProperty("child.mode", mode)
        .systemProperty("child.prop", "p1")
        .env("CHILD_ENV", "e1")
        .args("first", "second arg")
        .logFile(dir.resolve("logs/child.log"));
  }

  @Test
  void readyOnItsLogLineWithPropertiesEnvAndArgumentsPassed() throws Exception {
    try (ServiceProcess p = child("serve").start()) {
      p.awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30));
      assertThat(p.startupTime()).isPresent();
      assertThat(p.logTail(10))
          .containsSubsequence("first", "second arg", "prop=p1 env=e1", "child ready");
      assertThat(ProcessHandle.current().children()).anyMatch(c -> c.pid() == p.pid());
    }
  }

  @Test
  void aNicedChildRunsAtTheLowerPriorityUnderItsOwnPid() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/nice")), "needs nice");
    try (ServiceProcess p = child("serve").niceness(10).start()) {
      p.awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30));
      // /proc/<pid>/stat field 19 is the nice value; the pid is the JVM's own (nice execs java).
      assertThat(niceOf(p.pid()))
          .isEqualTo(Math.min(19, niceOf(ProcessHandle.current().pid()) + 10));
      Path autogroup = Path.of("/proc/" + p.pid() + "/autogroup");
      if (Files.exists(autogroup)) {
        // Its own session is its own scheduling group: lowered too, ours untouched.
        assertThat(Files.readString(autogroup)).contains("nice 10");
        assertThat(Files.readString(Path.of("/proc/self/autogroup"))).doesNotContain("nice 10");
      }
      assertThat(p.logTail(10)).contains("child ready");
    }
  }

  private static int niceOf(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
  }

  @Test
  void stopRunsTheChildsShutdownHooks() throws Exception {
    ServiceProcess p =
        child("serve")
            .start()
            .awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30));
    p.stop(Duration.ofSeconds(20));
    assertThat(p.isAlive()).isFalse();
    assertThat(p.exitCode()).hasValue(143);
    assertThat(p.logTail(1)).containsExactly("shutdown hook ran");
  }

  @Test
  void stopKillsAChildThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
    ServiceProcess p =
        child("ignore-term")
            .start()
            .awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    p.stop(Duration.ofMillis(500));
    assertThat(p.exitCode()).hasValue(137);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void killHardIsSigkillWithoutShutdownHooks() throws Exception {
    ServiceProcess p =
        child("serve")
            .start()
            .awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30));
    p.killHard();
    assertThat(p.exitCode()).hasValue(137);
    assertThat(p.logTail(5)).doesNotContain("shutdown hook ran");
  }

  @Test
  void aChildsOwnTempDirectoryIsEmptiedAtItsNextStart() throws Exception {
    Path tmp = dir.resolve("tmp/child");
    ServiceProcess first =
        child("leave-temp-file")
            .ownTempDirectory(tmp)
            .start()
            .awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30));
    first.killHard();
    Path leftByFirst = leftFile(first);
    assertThat(leftByFirst).hasParent(tmp).exists();

    try (ServiceProcess second =
        first
            .startAgain()
            .awaitReady(ReadinessCheck.logLine("child ready"), Duration.ofSeconds(30))) {
      assertThat(leftByFirst).doesNotExist();
      try (var inTmp = Files.list(tmp)) {
        assertThat(inTmp).containsExactly(leftFile(second));
      }
    }
  }

  private static Path leftFile(ServiceProcess p) {
    return p.logTail(20).stream()
        .filter(line -> line.startsWith("left "))
        .map(line -> Path.of(line.substring("left ".length())))
        .reduce((earlier, later) -> later)
        .orElseThrow();
  }

  @Test
  void awaitReadyFailsFastWithTheLogTailWhenTheProcessExits() throws Exception {
    ServiceProcess p = child("exit").start();
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> p.awaitReady(ReadinessCheck.logLine("never printed"), Duration.ofSeconds(50)))
        .isInstanceOfSatisfying(
            ServiceStartException.class,
            e -> {
              assertThat(e.component()).isEqualTo("child");
              assertThat(e.getMessage())
                  .contains("exited with code 3")
                  .contains("| prop=p1 env=e1");
              assertThat(e.logFile()).isEqualTo(dir.resolve("logs/child.log"));
            });
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void awaitReadyTimesOutNamingWhatItWaitedFor() throws Exception {
    try (ServiceProcess p = child("serve").start()) {
      assertThatThrownBy(
              () -> p.awaitReady(ReadinessCheck.logLine("never printed"), Duration.ofMillis(300)))
          .hasMessageContaining(
              "not ready after 0 s (waiting for log line containing 'never printed')");
      assertThat(p.isAlive()).isTrue();
    }
  }

  @Test
  void aMissingJarIsReportedBeforeLaunching() {
    assertThatThrownBy(
            () ->
                ServiceProcess.builder("orchestrator")
                    .jar(dir.resolve("nope.jar"))
                    .logFile(dir.resolve("x.log"))
                    .start())
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("nope.jar does not exist");
  }
}
