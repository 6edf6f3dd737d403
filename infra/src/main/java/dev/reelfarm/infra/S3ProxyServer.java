package dev.reelfarm.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * A real S3-compatible server for the local farm and tests: S3Proxy with jclouds' filesystem
 * backend (each bucket a directory under {@code dir/data}), run as a child JVM from its own
 * jar-with-dependencies so its Jetty and Guava never meet ours. Bound to 127.0.0.1 (or, started
 * with an advertised host, to every interface), signed requests only (V2 or V4) with {@link
 * #ACCESS_KEY} and {@link #SECRET_KEY} (or the secret it was started with).
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "reelfarm";
  public static final String SECRET_KEY = "reelfarm-local-secret";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final ServiceProcess process;
  private final int port;
  private final Optional<String> advertisedHost;
  private final String secretKey;
  private final Duration startupTime;

  private S3ProxyServer(
      ServiceProcess process,
      int port,
      Optional<String> advertisedHost,
      String secretKey,
      Duration startupTime) {
    this.process = process;
    this.port = port;
    this.advertisedHost = advertisedHost;
    this.secretKey = secretKey;
    this.startupTime = startupTime;
  }

  /**
   * Starts S3Proxy with its objects under {@code dir/data} (kept across starts) and its output in
   * {@code logFile}; returns once it answers HTTP.
   *
   * @throws ServiceStartException when it exits or does not answer in time
   */
  public static S3ProxyServer start(Path dir, Path logFile) throws IOException {
    return start(dir, logFile, Optional.empty(), SECRET_KEY);
  }

  /**
   * {@link #start(Path, Path)}; with {@code advertisedHost}, listening on every interface, so that
   * other machines reach it at {@link #externalEndpoint}, with {@code secretKey} as the credential
   * of {@link #ACCESS_KEY} (it must then not be the well-known {@link #SECRET_KEY}).
   */
  public static S3ProxyServer start(
      Path dir, Path logFile, Optional<String> advertisedHost, String secretKey)
      throws IOException {
    if (advertisedHost.isPresent() && secretKey.equals(SECRET_KEY))
      throw new IllegalArgumentException(
          "an S3Proxy other machines reach needs a secret of its own, not the well-known one");
    long t0 = System.nanoTime();
    Path data = dir.resolve("data").toAbsolutePath();
    Files.createDirectories(data);
    int port = Ports.free();
    Properties p = new Properties();
    p.setProperty(
        "s3proxy.endpoint",
        "http://" + (advertisedHost.isPresent() ? "0.0.0.0" : "127.0.0.1") + ":" + port);
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", ACCESS_KEY);
    p.setProperty("s3proxy.credential", secretKey);
    p.setProperty("jclouds.provider", "filesystem");
    p.setProperty("jclouds.filesystem.basedir", data.toString());
    Path config = dir.resolve("s3proxy.properties");
    try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      p.store(w, "written by S3ProxyServer");
    }
    ServiceProcess process =
        ServiceProcess.builder("s3proxy")
            .jar(jar())
            .args("--properties", config.toAbsolutePath().toString())
            .jvmArgs("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
            .logFile(logFile)
            .start();
    try {
      // Any HTTP answer (403 to an unsigned request) means it serves.
      process.awaitReady(s -> Ports.listening(port), READY_TIMEOUT);
    } catch (RuntimeException e) {
      process.killHard();
      throw e;
    }
    return new S3ProxyServer(
        process, port, advertisedHost, secretKey, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** The jar the build fetched (see infra/pom.xml), or {@code -Dreelfarm.s3proxy.jar}. */
  static Path jar() {
    String override = System.getProperty("reelfarm.s3proxy.jar");
    if (override != null && !override.isBlank()) return Path.of(override);
    Properties p = new Properties();
    try (InputStream in = S3ProxyServer.class.getResourceAsStream("s3proxy.properties")) {
      if (in == null) throw new IllegalStateException("infra is built without s3proxy.properties");
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path jar = Path.of(p.getProperty("jar"));
    if (!Files.isRegularFile(jar)) {
      throw new ServiceStartException(
          "s3proxy",
          "S3Proxy "
              + p.getProperty("version")
              + " is not in the local Maven repository ("
              + jar
              + "): build infra (./mvnw -pl infra package) or pass -Dreelfarm.s3proxy.jar=<jar>",
          null,
          java.util.List.of());
    }
    return jar;
  }

  /** {@code http://127.0.0.1:<port>}: the endpoint on this machine. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code http://<advertised host>:<port>}, for other machines, when started with one. */
  public Optional<String> externalEndpoint() {
    return advertisedHost.map(host -> "http://" + host + ":" + port);
  }

  /** The secret of {@link #ACCESS_KEY}. */
  public String secretKey() {
    return secretKey;
  }

  public Duration startupTime() {
    return startupTime;
  }

  public ServiceProcess process() {
    return process;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(5));
  }
}
