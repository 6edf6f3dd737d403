package dev.reelfarm.e2e.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for a multi-host test on one machine: each host a network namespace ({@code ip netns}) with
 * one interface, {@code eth0}, at {@code 10.77.0.<n>/24}, cabled by a veth pair to a bridge that
 * lives in a namespace of its own (the switch). Nothing is added to the machine's own network
 * namespace (unless {@link #attachThisMachine}), so the addresses collide with nothing and the
 * test's traffic stays on them; a host's link is taken down at the switch ({@link #linkDown}), as a
 * pulled cable would.
 *
 * <p>Processes run on a host through {@code ip netns exec} ({@link #command}); they see the
 * machine's file system, so each host's "disk" is the directory the test gives it. {@link #close}
 * kills every process left in the namespaces and deletes them (the veth pairs go with them), also
 * when the test failed; a JVM shutdown hook does the same if the test JVM is stopped. Needs root
 * and a kernel that allows network namespaces: {@link #unavailable()} says why not, for a skip.
 */
public final class NetnsHosts implements AutoCloseable {

  private static final String IP = "ip";

  private final String prefix;
  private final String switchNs;

  /** {@code 10.77.<k>.}, k random: two harnesses at once, both attached, have separate routes. */
  private final String subnet = "10.77." + ThreadLocalRandom.current().nextInt(1, 255) + ".";

  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private final Thread cleanup = new Thread(this::deleteAll, "netns-cleanup");
  private boolean closed;

  private NetnsHosts(String prefix) {
    this.prefix = prefix;
    this.switchNs = prefix + "-switch";
  }

  /**
   * Why namespaces cannot be used here, or empty when they can (probed by creating and deleting
   * one).
   */
  public static Optional<String> unavailable() {
    if (!"root".equals(System.getProperty("user.name")))
      return Optional.of(
          "network namespaces need root (running as " + System.getProperty("user.name") + ")");
    String probe = "rfprobe" + ThreadLocalRandom.current().nextInt(100_000);
    try {
      Result added = run(List.of(IP, "netns", "add", probe));
      if (added.exit() != 0)
        return Optional.of("`ip netns add` is not allowed here: " + added.output());
      run(List.of(IP, "netns", "delete", probe));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("no `ip` command (iproute2): " + e.getMessage());
    }
  }

  /** The hosts, numbered in order from 10.77.k.1; each starts with its link up. */
  public static NetnsHosts create(String... names) throws IOException {
    var netns =
        new NetnsHosts(
            "rf" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36));
    Runtime.getRuntime().addShutdownHook(netns.cleanup);
    try {
      netns.must(IP, "netns", "add", netns.switchNs);
      netns.must(IP, "-n", netns.switchNs, "link", "add", "br0", "type", "bridge");
      netns.must(IP, "-n", netns.switchNs, "link", "set", "br0", "up");
      for (String name : names) netns.addHost(name);
    } catch (IOException | RuntimeException e) {
      netns.close();
      throw e;
    }
    return netns;
  }

  private void addHost(String name) throws IOException {
    if (!name.matches("[a-z][a-z0-9]{0,5}"))
      throw new IllegalArgumentException("host names are 1-6 lower-case letters/digits: " + name);
    int n = hosts.size() + 1;
    String ns = namespace(name);
    hosts.put(name, n);
    must(IP, "netns", "add", ns);
    // Created in the host's namespace, its peer moved to the switch: no interface ever exists in
    // the machine's own namespace.
    must(
        IP, "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", name, "netns",
        switchNs);
    must(IP, "-n", switchNs, "link", "set", "dev", name, "master", "br0");
    must(IP, "-n", switchNs, "link", "set", "dev", name, "up");
    must(IP, "-n", ns, "addr", "add", address(name) + "/24", "dev", "eth0");
    must(IP, "-n", ns, "link", "set", "eth0", "up");
    must(IP, "-n", ns, "link", "set", "lo", "up");
  }

  /** The host's address, {@code 10.77.<k>.<n>}. */
  public String address(String host) {
    Integer n = hosts.get(host);
    if (n == null) throw new IllegalArgumentException("no host " + host + " in " + hosts.keySet());
    return subnet + n;
  }

  /**
   * Cables this machine's own network namespace (where the test JVM runs) to the switch as {@code
   * 10.77.<k>.254}, so the test can talk to the hosts' addresses; only that subnet is routed there.
   * Returns the address.
   */
  public String attachThisMachine() throws IOException {
    String dev = prefix + "-m";
    must(IP, "link", "add", dev, "type", "veth", "peer", "name", "machine", "netns", switchNs);
    must(IP, "-n", switchNs, "link", "set", "dev", "machine", "master", "br0");
    must(IP, "-n", switchNs, "link", "set", "dev", "machine", "up");
    must(IP, "addr", "add", subnet + "254/24", "dev", dev);
    must(IP, "link", "set", "dev", dev, "up");
    return subnet + "254";
  }

  /** {@code command} as it runs on {@code host}: prefixed with {@code ip netns exec <ns>}. */
  public List<String> command(String host, List<String> command) {
    address(host);
    var onHost = new ArrayList<>(List.of(IP, "netns", "exec", namespace(host)));
    onHost.addAll(command);
    return onHost;
  }

  /** Takes the host's cable out at the switch: its packets go nowhere until {@link #linkUp}. */
  public void linkDown(String host) throws IOException {
    address(host);
    must(IP, "-n", switchNs, "link", "set", "dev", host, "down");
  }

  public void linkUp(String host) throws IOException {
    address(host);
    must(IP, "-n", switchNs, "link", "set", "dev", host, "up");
  }

  /** The namespaces this harness created that still exist (to check the clean-up). */
  public List<String> namespacesLeft() throws IOException {
    return existingNamespaces().stream().filter(ns -> ns.startsWith(prefix + "-")).toList();
  }

  /** Every namespace of this machine, by name. */
  public static List<String> existingNamespaces() throws IOException {
    return run(List.of(IP, "netns", "list"))
        .output()
        .lines()
        .map(line -> line.split("\\s+")[0])
        .filter(s -> !s.isBlank())
        .toList();
  }

  private String namespace(String host) {
    return prefix + "-" + host;
  }

  /** Kills the processes left on the hosts, then deletes the namespaces. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or ran
    }
  }

  private void deleteAll() {
    var all = new ArrayList<String>();
    hosts.keySet().forEach(h -> all.add(namespace(h)));
    all.add(switchNs);
    for (String ns : all) {
      try {
        for (String pid : run(List.of(IP, "netns", "pids", ns)).output().split("\\s+")) {
          if (pid.matches("\\d+"))
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
        run(List.of(IP, "netns", "delete", ns));
      } catch (IOException e) {
        // best effort: the next namespace still goes
      }
    }
  }

  private void must(String... command) throws IOException {
    Result r = run(List.of(command));
    if (r.exit() != 0)
      throw new IOException(
          String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws IOException {
    Path out = Files.createTempFile("netns-", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no answer in 30 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
