package dev.reelfarm.schema.artifacts;

import dev.reelfarm.schema.config.ArtifactsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** An S3 client (and presigner, when configured) for {@code reelfarm.artifacts.s3.*}. */
record S3Connection(
    S3Client client,
    Optional<S3Presigner> presigner,
    Duration presignExpiry,
    String bucket,
    String keyPrefix) {

  static S3Connection open(ArtifactsConfig.S3 config) {
    AwsCredentialsProvider credentials =
        config.accessKey().isPresent() && config.secretKey().isPresent()
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get()))
            : DefaultCredentialsProvider.builder().build();
    Region region = Region.of(config.region());
    Optional<URI> endpoint = config.endpoint().map(URI::create);
    var builder =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(region)
            .credentialsProvider(credentials)
            .forcePathStyle(config.pathStyle())
            // Only where S3 requires a checksum: S3-compatible servers (S3Proxy, older MinIO and
            // Ceph) do not all take the trailing checksums the SDK adds by default.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    endpoint.ifPresent(builder::endpointOverride);
    S3Presigner presigner = null;
    if (config.presign()) {
      var p =
          S3Presigner.builder()
              .region(region)
              .credentialsProvider(credentials)
              .serviceConfiguration(
                  S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
      endpoint.ifPresent(p::endpointOverride);
      presigner = p.build();
    }
    String prefix = config.prefix().map(S3Connection::normalizePrefix).orElse("");
    S3Connection connection =
        new S3Connection(
            builder.build(),
            Optional.ofNullable(presigner),
            Duration.ofSeconds(config.presignExpirySeconds()),
            config.bucket(),
            prefix);
    connection.ensureBucket();
    return connection;
  }

  /** {@code a/b/} for {@code /a/b}, {@code a/b/} or {@code a/b}; empty stays empty. */
  static String normalizePrefix(String prefix) {
    String p = prefix.strip().replaceAll("^/+|/+$", "");
    return p.isEmpty() ? "" : p + "/";
  }

  /** Creates the bucket unless it exists; several services starting at once may all try. */
  private void ensureBucket() {
    try {
      client.headBucket(b -> b.bucket(bucket));
      return;
    } catch (NoSuchBucketException e) {
      // create it below
    } catch (S3Exception e) {
      if (e.statusCode() != 404) throw e;
    }
    try {
      client.createBucket(b -> b.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
      // another service created it meanwhile
    }
  }
}
