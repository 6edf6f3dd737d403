package dev.reelfarm.cli;

import dev.reelfarm.infra.Processes;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The processes of a farm directory, found the way the launcher finds leftovers. */
final class FarmProcesses {

  /** Live processes whose command line names a path inside {@code farmDir}. */
  static List<ProcessHandle> running(Path farmDir) {
    String marker = farmDir.toAbsolutePath().normalize() + File.separator;
    return ProcessHandle.allProcesses()
        .filter(Processes::isRunning)
        .filter(p -> Processes.commandLine(p).map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /** Waits up to {@code timeout} for them all to be gone; returns those still running. */
  static List<ProcessHandle> awaitNone(Path farmDir, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ProcessHandle> left = running(farmDir);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      left = running(farmDir);
    }
    return left;
  }

  static String describe(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + p.info().command().orElse("?"))
        .toList()
        .toString();
  }

  private FarmProcesses() {}
}
