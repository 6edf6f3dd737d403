package dev.reelfarm.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One supervised component of a running farm as {@code reelfarm status} shows it: written by {@link
 * FarmWatchdog} to {@code <farm dir>/services} (a line per component, tab-separated), read by
 * another process.
 *
 * @param state {@code up}, {@code restarting}, or {@code down, restart in N s}
 * @param lastExit how its last run ended ({@code code 137 at <instant>}), {@code -} if none did
 */
public record ServiceStatus(String name, long pid, String state, int restarts, String lastExit) {

  static final String FILE = "services";

  /** The components of the farm whose launcher runs from {@code farmDir}; empty if none runs. */
  public static Optional<List<ServiceStatus>> ofRunningFarm(Path farmDir) {
    try {
      Path launcher = farmDir.resolve("farm.pid");
      Path file = farmDir.resolve(FILE);
      if (!Files.isRegularFile(launcher) || !Files.isRegularFile(file)) return Optional.empty();
      long pid = Long.parseLong(Files.readString(launcher).strip());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return Optional.of(parse(Files.readAllLines(file, StandardCharsets.UTF_8)));
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // no farm, or one that is just stopping
    }
  }

  static List<ServiceStatus> parse(List<String> lines) {
    var all = new ArrayList<ServiceStatus>();
    for (String line : lines) {
      String[] f = line.split("\t");
      if (f.length == 5) {
        all.add(new ServiceStatus(f[0], Long.parseLong(f[1]), f[2], Integer.parseInt(f[3]), f[4]));
      }
    }
    return all;
  }

  /** Replaces the file at once (a reader never sees half of it). */
  static void write(Path farmDir, List<ServiceStatus> all) {
    var sb = new StringBuilder();
    for (ServiceStatus s : all) {
      sb.append(String.join("\t", s.name, Long.toString(s.pid), s.state))
          .append('\t')
          .append(s.restarts)
          .append('\t')
          .append(s.lastExit)
          .append('\n');
    }
    try {
      Path tmp = farmDir.resolve(FILE + ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, farmDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
