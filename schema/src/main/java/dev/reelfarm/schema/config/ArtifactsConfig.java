package dev.reelfarm.schema.config;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared artifact store, the same for every service: {@code reelfarm.artifacts.*}. A
 * configuration group like {@link KafkaConfig}.
 */
public interface ArtifactsConfig {
  String PREFIX = "reelfarm.artifacts";

  /** Which store holds the artifacts. */
  enum Store {
    /** A directory shared by all services ({@link #dir()}): the fast default of the local farm. */
    FS,
    /** An S3-compatible object store ({@link #s3()}): for services on several hosts. */
    S3
  }

  /** {@code reelfarm.artifacts.store} (default {@code fs}): {@code fs} or {@code s3}. */
  @WithDefault("fs")
  Store store();

  /**
   * {@code reelfarm.artifacts.dir} (default {@code .reelfarm/artifacts}): root directory of the
   * filesystem store (frames, latents, previews, videos), shared by all services.
   */
  @WithDefault(".reelfarm/artifacts")
  Path dir();

  /**
   * {@code reelfarm.artifacts.scratch-dir} (default {@code <java.io.tmpdir>/reelfarm-scratch}):
   * this service's local files of the S3 store (what it uploads, the chunk frames the encoder
   * reads, the clip FFmpeg writes). Unused by the filesystem store.
   */
  Optional<Path> scratchDir();

  /** {@code reelfarm.artifacts.s3.*}: the S3 store. */
  S3 s3();

  interface S3 {
    /**
     * {@code reelfarm.artifacts.s3.endpoint}: the server's URL ({@code http://127.0.0.1:9000});
     * none: AWS S3 of {@link #region()}.
     */
    Optional<String> endpoint();

    /** {@code reelfarm.artifacts.s3.region} (default {@code us-east-1}). */
    @WithDefault("us-east-1")
    String region();

    /** {@code reelfarm.artifacts.s3.bucket} (default {@code reelfarm}); created when missing. */
    @WithDefault("reelfarm")
    String bucket();

    /** {@code reelfarm.artifacts.s3.prefix} (default none): a key prefix for every artifact. */
    Optional<String> prefix();

    /**
     * {@code reelfarm.artifacts.s3.path-style} (default true): {@code endpoint/bucket/key} URLs, as
     * S3Proxy, MinIO and Ceph want; false for virtual-hosted buckets.
     */
    @WithDefault("true")
    boolean pathStyle();

    /**
     * {@code reelfarm.artifacts.s3.access-key} and {@code .secret-key}: static credentials; none:
     * the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, instance roles).
     */
    Optional<String> accessKey();

    Optional<String> secretKey();

    /**
     * {@code reelfarm.artifacts.s3.presign} (default false): the API answers a video, poster or
     * preview with a 307 to a presigned URL instead of streaming it.
     */
    @WithDefault("false")
    boolean presign();

    /** {@code reelfarm.artifacts.s3.presign-expiry-seconds} (default 900): presigned URLs' life. */
    @WithDefault("900")
    int presignExpirySeconds();
  }
}
