package dev.reelfarm.launcher;

import dev.reelfarm.infra.S3ProxyServer;
import dev.reelfarm.schema.api.ApiKeys;
import dev.reelfarm.schema.config.ArtifactsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The farm's artifact store as its services are told it: the shared directory ({@code fs}, the
 * default), or an S3 bucket ({@code s3}) on S3Proxy started under the farm directory, or on the
 * external server REELFARM_S3_ENDPOINT names (with REELFARM_S3_ACCESS_KEY, _SECRET_KEY, _BUCKET,
 * _REGION, _PREFIX).
 */
final class FarmArtifacts {
  static final String S3_ENDPOINT = "reelfarm.s3.endpoint";
  static final String S3_ACCESS_KEY = "reelfarm.s3.access-key";
  static final String S3_SECRET_KEY = "reelfarm.s3.secret-key";
  static final String S3_BUCKET = "reelfarm.s3.bucket";
  static final String S3_REGION = "reelfarm.s3.region";
  static final String S3_PREFIX = "reelfarm.s3.prefix";

  private final ArtifactsConfig.Store store;
  private final boolean useEnvironment;
  private final Optional<String> advertisedHost;
  private volatile S3ProxyServer s3proxy;
  private String endpoint;

  FarmArtifacts(FarmConfig config) {
    this.store = config.artifactStore;
    this.useEnvironment = config.useEnvironment;
    this.advertisedHost = config.advertisedHost;
  }

  /** Whether {@link #start} has a server to start (S3 mode without an external endpoint). */
  boolean startsServer() {
    return store == ArtifactsConfig.Store.S3 && external(S3_ENDPOINT).isEmpty();
  }

  /** Starts S3Proxy when {@link #startsServer}, else only records the external endpoint. */
  Optional<S3ProxyServer> start(FarmDirectory dir, StartGuard guard) throws IOException {
    if (store != ArtifactsConfig.Store.S3) return Optional.empty();
    if (!startsServer()) {
      endpoint = external(S3_ENDPOINT).orElseThrow();
      return Optional.empty();
    }
    // Reachable from other machines, the well-known local secret would let anyone in.
    String secret =
        advertisedHost.isPresent()
            ? SecretFile.readOrCreate(dir.s3Secret(), ApiKeys::randomToken)
            : S3ProxyServer.SECRET_KEY;
    S3ProxyServer server =
        guard.keep(
            S3ProxyServer.start(
                dir.s3Data(), dir.logs().resolve("s3proxy.log"), advertisedHost, secret),
            s -> s3proxy = s);
    endpoint = server.endpoint();
    return Optional.of(server);
  }

  ArtifactsConfig.Store store() {
    return store;
  }

  /** The S3 endpoint the services use; empty for the filesystem store. */
  Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /**
   * The S3 endpoint joining hosts are told, when it is not the services' own: the farm's S3Proxy at
   * the advertised host.
   */
  Optional<String> joinEndpoint() {
    return s3proxy().flatMap(S3ProxyServer::externalEndpoint);
  }

  Optional<S3ProxyServer> s3proxy() {
    return Optional.ofNullable(s3proxy);
  }

  /** {@code reelfarm.artifacts.*} for service {@code name}: its scratch directory its own. */
  Map<String, String> serviceProperties(FarmDirectory dir, String name) {
    var p = new LinkedHashMap<String, String>();
    p.put("reelfarm.artifacts.dir", dir.artifacts().toString());
    if (store != ArtifactsConfig.Store.S3) return p;
    p.put("reelfarm.artifacts.store", "s3");
    p.put("reelfarm.artifacts.scratch-dir", dir.scratch().resolve(name).toString());
    p.put("reelfarm.artifacts.s3.endpoint", endpoint);
    boolean ours = s3proxy != null;
    p.put(
        "reelfarm.artifacts.s3.access-key",
        ours ? S3ProxyServer.ACCESS_KEY : external(S3_ACCESS_KEY).orElse(null));
    p.put(
        "reelfarm.artifacts.s3.secret-key",
        ours ? s3proxy.secretKey() : external(S3_SECRET_KEY).orElse(null));
    external(S3_BUCKET).ifPresent(b -> p.put("reelfarm.artifacts.s3.bucket", b));
    external(S3_REGION).ifPresent(r -> p.put("reelfarm.artifacts.s3.region", r));
    external(S3_PREFIX).ifPresent(x -> p.put("reelfarm.artifacts.s3.prefix", x));
    p.values().removeIf(v -> v == null);
    return p;
  }

  /** One line for the banner. */
  String describe(Path artifactsDir) {
    if (store != ArtifactsConfig.Store.S3) return artifactsDir.toString();
    return "s3 "
        + endpoint
        + " bucket "
        + external(S3_BUCKET).orElse("reelfarm")
        + (s3proxy != null ? " (S3Proxy)" : " (external)");
  }

  void stop() {
    if (s3proxy != null) StartGuard.stopQuietly(s3proxy);
  }

  private Optional<String> external(String key) {
    return useEnvironment ? LauncherSettings.get(key) : Optional.empty();
  }
}
