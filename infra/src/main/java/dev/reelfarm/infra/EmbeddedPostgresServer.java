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
import java.util.List;
import java.util.Optional;

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
  private final Path dataDir;
  private final Duration startupTime;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, Duration startupTime) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.startupTime = startupTime;
  }

  /**
   * Initialises a fresh cluster in {@code dataDir} (which must be empty or absent), starts it on a
   * free port and creates the {@value #DATABASE} database. Server output goes to {@code logFile}.
   * Durable unless {@value #DURABLE_PROPERTY} is {@code false}.
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
    long t0 = System.nanoTime();
    Files.createDirectories(dataDir.getParent());
    Files.createDirectories(logFile.getParent());
    var redirect = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres postgres;
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              // The farm wipes state at start; deleting on close keeps .reelfarm small.
              .setCleanDataDirectory(true)
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
    return new EmbeddedPostgresServer(postgres, dataDir, Duration.ofNanos(System.nanoTime() - t0));
  }

  private static void createDatabase(int port) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(port, "postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
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
  }

  /** The server process, from postmaster.pid (zonky only knows pg_ctl's). */
  private Optional<ProcessHandle> postmaster() {
    try {
      String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
