package dev.reelfarm.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Facts about other processes that {@link ProcessHandle} does not give reliably. */
public final class Processes {

  /**
   * The full command line, arguments joined by spaces. Read from {@code /proc/<pid>/cmdline}:
   * {@link ProcessHandle.Info#commandLine()} drops the arguments once they pass one page (4 KiB),
   * which a JVM with a long classpath easily does.
   */
  public static Optional<String> commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      byte[] bytes = Files.readAllBytes(proc);
      if (bytes.length > 0) {
        return Optional.of(new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip());
      }
    } catch (IOException | SecurityException e) {
      // no procfs, or the process is gone: fall back
    }
    return process.info().commandLine();
  }

  /**
   * Whether the process still runs. A zombie does not: an orphan's exit is only reaped when init
   * gets to it, which here takes up to a few seconds, and {@link ProcessHandle#isAlive()} counts
   * the zombie as alive until then.
   */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) return false;
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // pid (comm) state ...; comm may contain spaces and parentheses, the state follows the last
      // ')'
      int close = stat.lastIndexOf(')');
      return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
    } catch (IOException | SecurityException e) {
      return process.isAlive();
    }
  }

  /** SIGKILL all, then wait up to {@code timeout} until none runs; returns those still running. */
  public static List<ProcessHandle> kill(List<ProcessHandle> processes, Duration timeout) {
    processes.forEach(ProcessHandle::destroyForcibly);
    return awaitExit(processes, timeout);
  }

  /** Waits up to {@code timeout} until none runs; returns those still running. */
  public static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ProcessHandle> left = processes;
    while (true) {
      left = left.stream().filter(Processes::isRunning).toList();
      if (left.isEmpty() || System.nanoTime() > deadline) return left;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return left;
      }
    }
  }

  /**
   * With the kernel's autogroup scheduling (the default on most distributions), every session is a
   * scheduling group and groups share the CPU equally whatever their processes' nice values, so a
   * child in its own session is lowered through {@code /proc/<pid>/autogroup}. Written only once
   * the child leads its new session: before {@code setsid} it still shares ours.
   */
  static void lowerSessionPriority(long pid, int niceness) {
    Path autogroup = Path.of("/proc/" + pid + "/autogroup");
    if (!Files.exists(autogroup)) return;
    try {
      for (int i = 0; i < 200 && sessionOf(pid) != pid; i++) Thread.sleep(5);
      if (sessionOf(pid) == pid) Files.writeString(autogroup, Integer.toString(niceness));
    } catch (IOException | RuntimeException e) {
      // Best effort: the child runs, only at the normal priority.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The session id in {@code /proc/<pid>/stat} (field 6). */
  private static long sessionOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
  }

  /** coreutils' nice, or null where there is none (then children run at our priority). */
  static final String NICE =
      java.util.stream.Stream.of("/usr/bin/nice", "/bin/nice")
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst()
          .orElse(null);

  /** util-linux's setsid, or null where there is none (then children share our session). */
  static final String SETSID =
      java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
          .filter(p -> Files.isExecutable(Path.of(p)))
          .findFirst()
          .orElse(null);

  /** The {@code java} that runs this process, so children use the same JDK. */
  public static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private Processes() {}
}
