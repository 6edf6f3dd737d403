package dev.reelfarm.e2e.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-host harness itself ({@link NetnsHosts}): a JVM on host A serves on A's address, host B
 * reaches it over the switch, not while B's link is down and again once it is up; host C's process
 * sees A but A's server is not on C's loopback; and closing the harness leaves no namespace and no
 * process behind, also when the test body failed. Skipped, saying why, where network namespaces are
 * not allowed.
 */
@Timeout(180)
class NetnsHostsIT {

  private static final int PORT = 18080;

  @TempDir Path tmp;

  @BeforeAll
  static void namespacesAllowed() {
    NetnsHosts.unavailable().ifPresent(why -> Assumptions.abort("multi-host test skipped: " + why));
  }

  @Test
  void hostsReachEachOtherOnlyOverTheirLinksAndLeaveNothingBehind() throws Exception {
    List<String> left;
    long serverPid;
    try (NetnsHosts hosts = NetnsHosts.create("a", "b", "c")) {
      String subnet = hosts.address("a").replaceFirst("1$", "");
      assertThat(subnet).matches("10\\.77\\.\\d+\\.");
      assertThat(List.of(hosts.address("b"), hosts.address("c")))
          .containsExactly(subnet + "2", subnet + "3");
      Process server =
          start(
              hosts,
              "a",
              tmp.resolve("a.log"),
              List.of(
                  java(),
                  "-cp",
                  classpath(),
                  NetnsProbeServer.class.getName(),
                  hosts.address("a"),
                  Integer.toString(PORT)));
      serverPid = server.pid();
      awaitLine(tmp.resolve("a.log"), "listening on");
      String url = "http://" + hosts.address("a") + ":" + PORT + "/";

      assertThat(curl(hosts, "b", url)).isEqualTo("served from " + hosts.address("a"));
      assertThat(curl(hosts, "c", "http://127.0.0.1:" + PORT + "/"))
          .as("A's server is not on C's loopback")
          .startsWith("FAILED");
      hosts.linkDown("b");
      assertThat(curl(hosts, "b", url)).as("B with its link down").startsWith("FAILED");
      assertThat(curl(hosts, "c", url))
          .as("C meanwhile")
          .isEqualTo("served from " + hosts.address("a"));
      hosts.linkUp("b");
      assertThat(curl(hosts, "b", url)).isEqualTo("served from " + hosts.address("a"));
      left = hosts.namespacesLeft();
      assertThat(left).hasSize(4); // a, b, c and the switch
    }
    assertThat(NetnsHosts.existingNamespaces()).doesNotContainAnyElementsOf(left);
    assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void aFailingTestStillRemovesItsHosts() throws Exception {
    List<String> left = new ArrayList<>();
    try (NetnsHosts hosts = NetnsHosts.create("a")) {
      left.addAll(hosts.namespacesLeft());
      throw new IllegalStateException("the test body failed");
    } catch (IllegalStateException expected) {
      assertThat(expected).hasMessage("the test body failed");
    }
    assertThat(left).hasSize(2);
    assertThat(NetnsHosts.existingNamespaces()).doesNotContainAnyElementsOf(left);
  }

  /**
   * GET {@code url} from {@code host} with a JDK client in a JVM there; FAILED: … when it fails.
   */
  private String curl(NetnsHosts hosts, String host, String url) throws Exception {
    Path out = Files.createTempFile(tmp, "get-", ".out");
    Process p =
        new ProcessBuilder(
                hosts.command(
                    host, List.of(java(), "-cp", classpath(), NetnsGet.class.getName(), url)))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return Files.readString(out).strip();
  }

  private static Process start(NetnsHosts hosts, String host, Path log, List<String> command)
      throws IOException {
    return new ProcessBuilder(hosts.command(host, command))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(Files.exists(log) && Files.readString(log).contains(line))) {
      if (System.nanoTime() > deadline) throw new AssertionError(line + " not in " + log);
      Thread.sleep(100);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classpath() {
    return System.getProperty("java.class.path");
  }
}
