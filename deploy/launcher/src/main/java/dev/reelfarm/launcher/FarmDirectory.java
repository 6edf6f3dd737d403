package dev.reelfarm.launcher;

import dev.reelfarm.infra.Directories;
import dev.reelfarm.infra.Processes;
import dev.reelfarm.infra.ServiceStartException;
import dev.reelfarm.schema.api.ApiKeys;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A farm's working directory: {@code farm.lock} (one farm at a time), {@code farm.pid} (the
 * launcher), {@code pids} (its children, to stop them after a launcher killed with SIGKILL), and
 * the farm's state: {@code pg}, {@code kafka}, {@code artifacts}, {@code tmp}, {@code logs}, wiped
 * at the start of a fresh farm and kept otherwise; {@code join-token} and {@code admin.key} (the
 * admin API key), both mode 0600 and kept even by a fresh start.
 */
final class FarmDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(FarmDirectory.class);

  private final Path dir;
  private FileChannel lockChannel;
  private FileLock lock;

  FarmDirectory(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  Path path() {
    return dir;
  }

  Path logs() {
    return dir.resolve("logs");
  }

  Path artifacts() {
    return dir.resolve("artifacts");
  }

  /** The secret of the farm's own S3Proxy when other machines reach it; a fresh start keeps it. */
  Path s3Secret() {
    return dir.resolve("s3-secret");
  }

  /** The farm's join token; not state: a fresh start keeps it. */
  Path joinToken() {
    return dir.resolve("join-token");
  }

  Path postgresData() {
    return dir.resolve("pg");
  }

  Path kafkaData() {
    return dir.resolve("kafka");
  }

  /** S3Proxy's buckets, when the farm runs one. */
  Path s3Data() {
    return dir.resolve("s3");
  }

  /** The services' local files of the S3 store, one directory each. */
  Path scratch() {
    return dir.resolve("scratch");
  }

  /** The services' temporary directories ({@code java.io.tmpdir}), one each. */
  Path tmp() {
    return dir.resolve("tmp");
  }

  /** The farm's admin API key: created at the first start, kept by {@code --fresh}. */
  Path adminKeyFile() {
    return dir.resolve(ADMIN_KEY_FILE);
  }

  static final String ADMIN_KEY_FILE = "admin.key";

  /** The admin key of the farm directory {@code farmDir}, if it has one (and it is readable). */
  static Optional<String> readAdminKey(Path farmDir) {
    Path file = farmDir.resolve(ADMIN_KEY_FILE);
    try {
      return Files.isReadable(file)
          ? Optional.of(Files.readString(file).strip())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The farm's admin API key, created when there is none. The orchestrator stores its hash at start
   * ({@code reelfarm.auth.bootstrap-key-file}).
   */
  String adminKey() throws IOException {
    return SecretFile.readOrCreate(adminKeyFile(), ApiKeys::generate);
  }

  /**
   * Takes the directory's lock, stops leftovers of a killed farm, and wipes the previous state when
   * {@code fresh}.
   *
   * @throws ServiceStartException when another farm holds the lock
   */
  void claim(boolean fresh) throws IOException {
    Files.createDirectories(dir);
    lockChannel =
        FileChannel.open(
            dir.resolve("farm.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another farm in this JVM
    }
    if (lock == null) {
      String owner = readOrEmpty(dir.resolve("farm.pid")).strip();
      lockChannel.close();
      lockChannel = null;
      throw new ServiceStartException(
          "farm",
          "another local farm is running from "
              + dir
              + (owner.isEmpty() ? "" : " (launcher pid " + owner + ")")
              + "; stop it, or submit to it with --api http://127.0.0.1:<port>",
          null,
          List.of());
    }
    Files.writeString(dir.resolve("farm.pid"), ProcessHandle.current().pid() + "\n");
    stopLeftovers();
    if (fresh) {
      for (Path state :
          List.of(postgresData(), kafkaData(), artifacts(), s3Data(), scratch(), tmp(), logs())) {
        Directories.deleteRecursively(state);
      }
    }
    Files.createDirectories(logs());
    Files.createDirectories(artifacts());
  }

  /**
   * A launcher killed with SIGKILL runs no shutdown hook and leaves its children running. Their
   * pids are in {@code pids}; a process is only stopped if its command line still names this
   * directory, so a recycled pid is never touched.
   */
  private void stopLeftovers() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String line : readOrEmpty(dir.resolve("pids")).split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2) pids.add(Long.parseLong(parts[1]));
    }
    String postmaster =
        readOrEmpty(postgresData().resolve("postmaster.pid")).lines().findFirst().orElse("");
    if (postmaster.matches("\\d+")) pids.add(Long.parseLong(postmaster));
    String marker = dir + File.separator;
    // With their descendants: PostgreSQL's backends outlive a killed postmaster for a moment, and
    // a kept cluster does not start again while they hold its shared memory.
    List<ProcessHandle> leftovers =
        pids.stream()
            .map(ProcessHandle::of)
            .flatMap(Optional::stream)
            .filter(Processes::isRunning)
            .filter(p -> Processes.commandLine(p).map(c -> c.contains(marker)).orElse(false))
            .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
            .distinct()
            .toList();
    if (!leftovers.isEmpty()) {
      LOG.warn(
          "stopping {} process(es) left running by a previous farm in {}: pids {}",
          leftovers.size(),
          dir,
          leftovers.stream().map(ProcessHandle::pid).toList());
      List<ProcessHandle> left = Processes.kill(leftovers, Duration.ofSeconds(10));
      if (!left.isEmpty())
        LOG.warn(
            "still running after SIGKILL: pids {}", left.stream().map(ProcessHandle::pid).toList());
    }
    Files.deleteIfExists(dir.resolve("pids"));
  }

  /** Records the farm's child processes (name → pid), for {@link #stopLeftovers()}. */
  void writePids(Map<String, Long> pids) {
    var sb = new StringBuilder();
    pids.forEach((name, pid) -> sb.append(name).append(' ').append(pid).append('\n'));
    try {
      Files.writeString(dir.resolve("pids"), sb.toString());
    } catch (IOException e) {
      LOG.warn("could not write {}: {}", dir.resolve("pids"), e.toString());
    }
  }

  /** Releases the lock; only the lock holder's files go: a farm refused for the lock keeps them. */
  void release() {
    try {
      if (lock != null) {
        Files.deleteIfExists(dir.resolve("pids"));
        Files.deleteIfExists(dir.resolve("farm.pid"));
        lock.release();
      }
      if (lockChannel != null) lockChannel.close();
    } catch (IOException e) {
      LOG.warn("could not release the lock on {}: {}", dir, e.toString());
    }
  }

  private static String readOrEmpty(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
