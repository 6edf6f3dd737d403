package dev.reelfarm.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky embedded binaries) for the local farm, with its data under a
 * given directory and a free port.
 *
 * <p>PostgreSQL refuses to run as root; zonky then wraps {@code initdb}, {@code pg_ctl} and {@code
 * postgres} in {@code unshare -U}, which runs them as an unprivileged user in a new user namespace.
 * That needs the {@code unshare} binary (util-linux) and a kernel that allows user namespaces.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  /** The database the farm uses; created on start so the farm's tables live apart from postgres. */
  public static final String DATABASE = "reelfarm";

  public static final String USER = "postgres";

  /** The server trusts local connections; the services still need a non-empty password setting. */
  public static final String PASSWORD = "postgres";

  /**
   * Benchmarks only, UNSAFE: {@code -Dreelfarm.embedded-postgres.durable=false} runs the server
   * with fsync and synchronous_commit off, so a crash of the machine (or of PostgreSQL) can lose
   * commits, including jobs that were already answered 202.
   */
  public static final String DURABLE_PROPERTY = "reelfarm.embedded-postgres.durable";

  /** initdb plus start takes ~3.4 s warm; the first run also unpacks the binaries. */
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final Settings settings;
  private final Duration startupTime;

  /** How a server was started, so that {@link #restart()} starts it the same way. */
  private record Settings(Path dataDir, Path logFile, boolean durable, boolean keepData, int port) {
    Settings onPort(int port) {
      return new Settings(dataDir, logFile, durable, keepData, port);
    }
  }

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres, Settings settings, Duration startupTime) {
    this.postgres = postgres;
    this.settings = settings;
    this.startupTime = startupTime;
  }

  /**
   * Initialises a fresh cluster in {@code dataDir} (which must be empty or absent), starts it on a
   * free port and creates the {@value #DATABASE} database; {@link #close()} removes the data.
   * Server output goes to {@code logFile}. Durable unless {@value #DURABLE_PROPERTY} is {@code
   * false}.
   */
  public static EmbeddedPostgresServer start(Path dataDir, Path logFile) throws IOException {
    return start(dataDir, logFile, !"false".equals(System.getProperty(DURABLE_PROPERTY)));
  }

  /**
   * As {@link #start(Path, Path)}; {@code durable} false is for benchmarks only (see {@link
   * #DURABLE_PROPERTY}).
   */
  public static EmbeddedPostgresServer start(Path dataDir, Path logFile, boolean durable)
      throws IOException {
    return start(new Settings(dataDir, logFile, durable, false, 0));
  }

  /**
   * Opens the cluster in {@code dataDir}, initialising it if there is none, and keeps the data on
   * {@link #close()}: the database of a farm that outlives its launcher. Durable unless {@value
   * #DURABLE_PROPERTY} is {@code false}.
   */
  public static EmbeddedPostgresServer open(Path dataDir, Path logFile) throws IOException {
    boolean durable = !"false".equals(System.getProperty(DURABLE_PROPERTY));
    return start(new Settings(dataDir, logFile, durable, true, 0));
  }

  private static EmbeddedPostgresServer start(Settings settings) throws IOException {
    long t0 = System.nanoTime();
    Path dataDir = settings.dataDir();
    Path logFile = settings.logFile();
    boolean durable = settings.durable();
    Files.createDirectories(dataDir.getParent());
    Files.createDirectories(logFile.getParent());
    var redirect = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              // Never zonky's clean-up: it would initdb over a kept cluster, and it deletes the
              // data on close even after a crash; close() deletes what is not kept.
              .setCleanDataDirectory(false)
              .setPort(settings.port() != 0 ? settings.port() : Ports.free())
              .setPGStartupWait(STARTUP_WAIT)
              // The owner (LocalFarm, a test) stops it in order; zonky's own hook could stop the
              // database under a still-running orchestrator.
              .setRegisterShutdownHook(false)
              .setServerConfig("listen_addresses", "127.0.0.1")
              // A local farm holds four services' pools; the default 100 is tight with N workers.
              .setServerConfig("max_connections", "200")
              // zonky is made for throwaway test databases: it starts postgres with -F (fsync off)
              // and sets synchronous_commit=off. The farm's database is its source of truth and a
              // 202 promises the job survives a crash, so a commit must be on disk before it
              // returns; these -c options come after -F on the command line and win over it.
              .setServerConfig("fsync", durable ? "on" : "off")
              .setServerConfig("synchronous_commit", durable ? "on" : "off")
              .setOutputRedirector(redirect)
              .setErrorRedirector(redirect)
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "embedded PostgreSQL did not start (data "
              + dataDir
              + ", log "
              + logFile
              + "). As root it needs `unshare -U` (util-linux) and user namespaces: "
              + e.getMessage(),
          e);
    }
    try {
      createDatabase(postgres.getPort());
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("embedded PostgreSQL started but CREATE DATABASE failed", e);
    }
    return new EmbeddedPostgresServer(
        postgres, settings.onPort(postgres.getPort()), Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Creates {@value #DATABASE} unless a kept cluster already has it. */
  private static void createDatabase(int port) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(port, "postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      try (var rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) return;
      }
      s.execute("CREATE DATABASE " + DATABASE);
    }
  }

  /** Whether the postmaster runs. */
  public boolean isAlive() {
    return postmaster().map(Processes::isRunning).orElse(false);
  }

  /**
   * {@code kill -9} of the postmaster and its backends, as a crash: nothing is flushed beyond what
   * was committed. Returns once they are gone.
   */
  public void kill() {
    Optional<ProcessHandle> postmaster = postmaster();
    if (postmaster.isEmpty()) return;
    var all = new ArrayList<ProcessHandle>(postmaster.get().descendants().toList());
    all.add(0, postmaster.get());
    Processes.kill(all, Duration.ofSeconds(10));
  }

  /**
   * Starts the server again on the same port and data directory (stopping it first if it still
   * runs): after a crash PostgreSQL recovers from its WAL, so every committed transaction is kept.
   * Returns once it accepts connections. This object stays the old server; use the one returned.
   */
  public EmbeddedPostgresServer restart() throws IOException {
    // Releases zonky's lock on the data directory; after a kill, pg_ctl stop finds nothing to stop.
    postgres.close();
    postmaster().ifPresent(p -> Processes.kill(List.of(p), Duration.ofSeconds(10)));
    return start(settings);
  }

  public int port() {
    return postgres.getPort();
  }

  /** JDBC URL of the {@value #DATABASE} database. */
  public String jdbcUrl() {
    return jdbcUrl(port(), DATABASE);
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  /** From the call to {@link #start} until the database accepted connections. */
  public Duration startupTime() {
    return startupTime;
  }

  private static String jdbcUrl(int port, String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Fast shutdown ({@code pg_ctl stop -m fast}) and removal of the data directory. Returns once the
   * postmaster has exited: pg_ctl returns when postmaster.pid is gone, slightly before.
   */
  @Override
  public void close() throws IOException {
    Optional<ProcessHandle> postmaster = postmaster();
    postgres.close();
    postmaster.ifPresent(
        p -> {
          if (!Processes.awaitExit(List.of(p), Duration.ofSeconds(10)).isEmpty()) {
            Processes.kill(List.of(p), Duration.ofSeconds(5));
          }
        });
    if (!settings.keepData()) deleteRecursively(settings.dataDir());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** The server process, from postmaster.pid (zonky only knows pg_ctl's). */
  private Optional<ProcessHandle> postmaster() {
    try {
      String first =
          Files.readAllLines(settings.dataDir().resolve("postmaster.pid")).get(0).strip();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
