package dev.reelfarm.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of the local farm (a service or the Kafka broker), started with the same {@code
 * java} as this process, its stdout and stderr in one log file.
 *
 * <p>Stopping is SIGTERM first, so the services run their shutdown hooks (leave the consumer group,
 * commit, close pools), then SIGKILL after a grace period. {@link #killHard()} is SIGKILL straight
 * away, for crash tests.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How long {@link #close()} waits after SIGTERM before SIGKILL. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(15);

  private static final Duration POLL = Duration.ofMillis(100);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final long logStart;
  private final Builder launchedBy;
  private final long startedAtNanos;
  private volatile Duration startupTime;

  private ServiceProcess(String name, Process process, Path logFile, long logStart, Builder b) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.logStart = logStart;
    this.launchedBy = b;
    this.startedAtNanos = System.nanoTime();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has exited. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  public Path logFile() {
    return logFile;
  }

  /** Where this run's output begins in {@link #logFile()}: 0, or the earlier runs' length. */
  public long logStart() {
    return logStart;
  }

  /**
   * Launches the same command again (same name, settings, ports), its output appended to the same
   * log; this process is not touched, so stop it first. For restarting a crashed service.
   */
  public ServiceProcess startAgain() throws IOException {
    return launchedBy.start(true);
  }

  /** From launch until {@link #awaitReady} succeeded; empty before. */
  public Optional<Duration> startupTime() {
    return Optional.ofNullable(startupTime);
  }

  /**
   * Polls {@code check} every 100 ms until it passes. Fails fast, with the log tail, when the
   * process exits first, and when {@code timeout} passes (the process is then left running: the
   * caller owns it and decides).
   *
   * @throws ServiceStartException when the process exited or did not get ready in time
   */
  public ServiceProcess awaitReady(ReadinessCheck check, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastError = null;
    while (true) {
      try {
        if (check.isReady(this)) {
          startupTime = Duration.ofNanos(System.nanoTime() - startedAtNanos);
          return this;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServiceStartException(name, "interrupted while waiting", logFile, logTail(40));
      } catch (Exception e) {
        lastError = e; // not up yet (connection refused, …)
      }
      if (!process.isAlive()) {
        throw new ServiceStartException(
            name,
            "process exited with code " + process.exitValue() + " before it was ready",
            logFile,
            logTail(40));
      }
      if (System.nanoTime() > deadline) {
        String reason = "not ready after " + timeout.toSeconds() + " s (waiting for " + check + ")";
        if (lastError != null) reason += "; last check error: " + lastError;
        throw new ServiceStartException(name, reason, logFile, logTail(40));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServiceStartException(name, "interrupted while waiting", logFile, logTail(40));
      }
    }
  }

  /** Waits for the process to exit by itself (for one-shot tools) and returns its exit code. */
  public int waitForExit() throws InterruptedException {
    return process.waitFor();
  }

  /** SIGTERM, wait {@link #DEFAULT_STOP_GRACE}, then SIGKILL. */
  public void stop() {
    stop(DEFAULT_STOP_GRACE);
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns once the process is gone. */
  public void stop(Duration grace) {
    requestStop();
    awaitStop(grace);
  }

  /**
   * Sends SIGTERM to the process (not its children: its own shutdown hooks stop those) and returns
   * at once; pair with {@link #awaitStop} to stop several in parallel.
   */
  public void requestStop() {
    process.destroy();
  }

  /** Waits up to {@code grace} for the process to exit after {@link #requestStop}, then SIGKILL. */
  public void awaitStop(Duration grace) {
    boolean interrupted = false;
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        killHard();
      }
    } catch (InterruptedException e) {
      interrupted = true;
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      killHard();
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /**
   * SIGKILL now (destroyForcibly is SIGKILL on Linux), like {@code kill -9 <pid>}: no shutdown
   * hooks, children left running. For crash tests.
   */
  public void killHard() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code n} lines of the log (reads at most the last 256 KiB). */
  public List<String> logTail(int n) {
    return tail(logFile, n);
  }

  /** The last {@code n} lines of {@code file} (reads at most the last 256 KiB). */
  public static List<String> tail(Path file, int n) {
    return LogFiles.tail(file, n);
  }

  @Override
  public void close() {
    if (process.isAlive()) stop();
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
  }

  /** How to launch a child JVM. Either {@link #jar} or {@link #mainClass} (with a classpath). */
  public static final class Builder {
    private final String name;
    private Path jar;
    private String mainClass;
    private final List<Path> classpath = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private Path logFile;
    private Path workingDirectory;
    private Path tempDirectory;
    private boolean inheritIo;
    private boolean ownSession = true;
    private int niceness;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    /** Run {@code java -jar jar}. */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /** Run {@code java -cp <classpath> mainClass}. */
    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder classpath(List<Path> entries) {
      classpath.addAll(entries);
      return this;
    }

    public Builder jvmArgs(String... args) {
      jvmArgs.addAll(List.of(args));
      return this;
    }

    /** Passed as {@code -Dkey=value}; a null value is skipped. */
    public Builder systemProperty(String key, String value) {
      if (value != null) systemProperties.put(key, value);
      return this;
    }

    public Builder systemProperties(Map<String, String> properties) {
      properties.forEach(this::systemProperty);
      return this;
    }

    /** Added to the inherited environment. */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    public Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    /** Where stdout and stderr go (truncated at start). Required unless {@link #inheritIo}. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    public Builder workingDirectory(Path dir) {
      this.workingDirectory = dir;
      return this;
    }

    /**
     * The child's {@code java.io.tmpdir}, emptied at every start. ONNX Runtime extracts its native
     * libraries (22 MB) into a new temporary directory at each start and only deletes them at a
     * normal exit, so every crashed or killed service would leave a copy in the shared {@code
     * /tmp}; in a directory of the service's own the next start removes it.
     */
    public Builder ownTempDirectory(Path dir) {
      this.tempDirectory = dir;
      return this;
    }

    /**
     * Whether the child runs in its own session (default true, via {@code setsid}, which keeps the
     * pid). Ctrl-C in a terminal signals the whole foreground process group; in their own session
     * the services are stopped by the launcher instead, in order (services before Kafka), rather
     * than all at once with a worker's consumer waiting on a broker that is already gone.
     */
    public Builder ownSession(boolean ownSession) {
      this.ownSession = ownSession;
      return this;
    }

    /**
     * Runs the child at a lower CPU priority ({@code nice -n}), where {@code nice} exists: work
     * that may lag (encoding ahead) then only takes CPU the rendering workers leave idle.
     */
    public Builder niceness(int niceness) {
      if (niceness < 0 || niceness > 19)
        throw new IllegalArgumentException("niceness must be 0..19: " + niceness);
      this.niceness = niceness;
      return this;
    }

    /** Share this process's stdin/stdout/stderr instead of a log file (for foreground tools). */
    public Builder inheritIo() {
      this.inheritIo = true;
      return this;
    }

    List<String> command() {
      if ((jar == null) == (mainClass == null)) {
        throw new IllegalStateException(name + ": set exactly one of jar(…) and mainClass(…)");
      }
      var command = new ArrayList<String>();
      if (ownSession && !inheritIo && Processes.SETSID != null) command.add(Processes.SETSID);
      if (niceness > 0 && Processes.NICE != null)
        command.addAll(List.of(Processes.NICE, "-n", Integer.toString(niceness)));
      command.add(Processes.javaExecutable());
      command.addAll(jvmArgs);
      if (tempDirectory != null) command.add("-Djava.io.tmpdir=" + tempDirectory);
      systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
      if (jar != null) {
        command.add("-jar");
        command.add(jar.toString());
      } else {
        if (!classpath.isEmpty()) {
          // In an argument file (java @file): a classpath of ~60 jars would make the command line
          // too long to read back from /proc and ps, and can pass the OS limit.
          command.add("@" + argFile());
        }
        command.add(mainClass);
      }
      command.addAll(args);
      return command;
    }

    private Path argFile() {
      Path base = logFile != null ? logFile.toAbsolutePath() : Path.of(name).toAbsolutePath();
      return base.resolveSibling(base.getFileName() + ".classpath");
    }

    /** Launches the process; it is running (not necessarily ready) when this returns. */
    public ServiceProcess start() throws IOException {
      return start(false);
    }

    private ServiceProcess start(boolean appendLog) throws IOException {
      if (jar != null && !Files.isRegularFile(jar)) {
        throw new ServiceStartException(name, jar + " does not exist", null, List.of());
      }
      if (jar == null && !classpath.isEmpty()) {
        Files.createDirectories(argFile().getParent());
        String quoted = Classpath.join(classpath).replace("\\", "\\\\").replace("\"", "\\\"");
        Files.writeString(argFile(), "-cp\n\"" + quoted + "\"\n");
      }
      if (tempDirectory != null) Directories.emptied(tempDirectory);
      var pb = new ProcessBuilder(command());
      long logStart = 0;
      pb.environment().putAll(env);
      if (workingDirectory != null) pb.directory(workingDirectory.toFile());
      if (inheritIo) {
        pb.inheritIO();
      } else {
        if (logFile == null) throw new IllegalStateException(name + ": logFile(…) is required");
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        pb.redirectErrorStream(true);
        logStart = appendLog && Files.exists(logFile) ? Files.size(logFile) : 0;
        pb.redirectOutput(
            appendLog
                ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                : ProcessBuilder.Redirect.to(logFile.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      Process process = pb.start();
      if (niceness > 0 && ownSession && !inheritIo && Processes.SETSID != null)
        Processes.lowerSessionPriority(process.pid(), niceness);
      return new ServiceProcess(name, process, logFile, logStart, this);
    }
  }
}
