package dev.reelfarm.schema.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The store in an S3-compatible bucket (AWS S3, MinIO, Ceph, S3Proxy), addressed by {@code
 * s3://bucket/key} URIs, for services on several hosts.
 *
 * <p>An S3 PUT is atomic per object: readers see the old object or the whole new one, never a part,
 * and a retried PUT replaces the whole, so writes need no temp-and-rename. Objects over {@link
 * #MULTIPART_THRESHOLD} go up as a multipart upload, which also becomes visible only when
 * completed. {@link #createIfAbsent} is a conditional PUT ({@code If-None-Match: *}). What needs a
 * local file (FFmpeg's output, the encoder's positioned frame reads, streamed writes) goes through
 * this service's scratch directory.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {
  static final long MULTIPART_THRESHOLD = 16L << 20;
  static final long PART_SIZE = 8L << 20;

  private final S3Client s3;
  private final S3Presigner presigner;
  private final Duration presignExpiry;
  private final String bucket;
  private final String prefix;
  private final Path scratchRoot;

  S3ArtifactStore(S3Connection connection, Path scratchRoot) {
    this.s3 = connection.client();
    this.presigner = connection.presigner().orElse(null);
    this.presignExpiry = connection.presignExpiry();
    this.bucket = connection.bucket();
    this.prefix = connection.keyPrefix();
    this.scratchRoot = scratchRoot.toAbsolutePath().normalize();
  }

  @Override
  public String uri(String key) {
    return "s3://" + bucket + "/" + objectKey(key);
  }

  @Override
  public String key(String uri) {
    URI u;
    try {
      u = URI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("artifact " + uri + " is not a URI", e);
    }
    String path = u.getPath() == null ? "" : u.getPath();
    if (!"s3".equals(u.getScheme())
        || !bucket.equals(u.getAuthority())
        || !path.startsWith("/" + prefix)) {
      throw new IllegalArgumentException("artifact " + uri + " is outside the store " + this);
    }
    return checkKey(path.substring(1 + prefix.length()));
  }

  @Override
  public String checkKey(String key) {
    boolean bad = key.isEmpty() || key.startsWith("/") || key.endsWith("/");
    for (String segment : key.split("/", -1)) {
      bad |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
    }
    if (bad) throw new IllegalArgumentException("artifact key " + key + " leaves the store");
    return key;
  }

  private String objectKey(String key) {
    return prefix + checkKey(key);
  }

  @Override
  public String write(String key, byte[] data) {
    put(key, RequestBody.fromBytes(data));
    return uri(key);
  }

  @Override
  public String write(String key, StreamWriter writer) {
    Path tmp = null;
    try {
      Path dir = Files.createDirectories(scratchRoot.resolve("uploads"));
      tmp = Files.createTempFile(dir, ".up-", "");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      return upload(key, tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + uri(key), e);
    } finally {
      if (tmp != null) tmp.toFile().delete();
    }
  }

  @Override
  public String upload(String key, Path file) {
    long size = file.toFile().length();
    if (size > MULTIPART_THRESHOLD) {
      new MultipartUpload(s3, bucket, objectKey(key), PART_SIZE).upload(file, size);
    } else {
      put(key, RequestBody.fromFile(file));
    }
    return uri(key);
  }

  /**
   * A claim is a directory of candidates, {@code <key>/<owner>}: a claimant that finds none adds
   * its own and lists again; it holds the claim only if it is still alone, else it withdraws, so of
   * colliding claimants none wins (the dispatch then waits for its lease, as after a crash). At
   * most one ever wins, on any store whose LIST sees every completed PUT (AWS S3, MinIO, Ceph,
   * S3Proxy): a winner never withdraws, and every later claimant's listing includes it. S3Proxy
   * 2.6.0 ignores {@code If-None-Match} on PUT, so a conditional create is not used.
   */
  @Override
  public boolean claim(String key, String owner) {
    List<String> before = candidates(key);
    if (!before.isEmpty()) return before.equals(List.of(owner));
    String mine = checkKey(key + "/" + owner);
    put(mine, RequestBody.fromBytes(owner.getBytes(StandardCharsets.UTF_8)));
    if (candidates(key).equals(List.of(owner))) return true;
    deleteTree(mine);
    return false;
  }

  @Override
  public Optional<String> claimant(String key) {
    List<String> owners = candidates(key);
    return owners.size() == 1 ? Optional.of(owners.get(0)) : Optional.empty();
  }

  private List<String> candidates(String key) {
    return list(key).stream()
        .map(k -> k.substring(key.length()))
        .filter(k -> k.startsWith("/") && k.indexOf('/', 1) < 0)
        .map(k -> k.substring(1))
        .sorted()
        .toList();
  }

  private void put(String key, RequestBody body) {
    s3.putObject(b -> b.bucket(bucket).key(objectKey(key)), body);
  }

  @Override
  public byte[] read(String uri) {
    String key = key(uri);
    try {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + key)).asByteArray();
    } catch (NoSuchKeyException e) {
      throw new UncheckedIOException(new java.io.FileNotFoundException("no artifact " + uri));
    }
  }

  @Override
  public InputStream open(String uri) throws IOException {
    return get(uri, null);
  }

  @Override
  public InputStream open(String uri, long start, long length) throws IOException {
    if (length == 0) return InputStream.nullInputStream();
    return get(uri, "bytes=" + start + "-" + (start + length - 1));
  }

  private ResponseInputStream<GetObjectResponse> get(String uri, String range) throws IOException {
    String key = prefix + key(uri);
    try {
      return s3.getObject(b -> b.bucket(bucket).key(key).range(range));
    } catch (NoSuchKeyException e) {
      throw new java.io.FileNotFoundException("no artifact " + uri);
    }
  }

  @Override
  public OptionalLong size(String uri) {
    String key = prefix + key(uri);
    try {
      return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return OptionalLong.empty();
      throw e;
    }
  }

  /**
   * Downloads once per key: artifacts under a run's prefix are written by that run alone, so a copy
   * stays true (a retried write of the run writes the same bytes).
   */
  @Override
  public Path localCopy(String uri) {
    Path copy = copyPath(uri);
    if (Files.isRegularFile(copy)) return copy;
    try {
      Files.createDirectories(copy.getParent());
      Path tmp = Files.createTempFile(copy.getParent(), ".down-", "");
      try (InputStream in = open(uri)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download artifact " + uri, e);
    }
  }

  @Override
  public void evictLocalCopy(String uri) {
    copyPath(uri).toFile().delete();
  }

  private Path copyPath(String uri) {
    return scratchRoot.resolve("copies").resolve(key(uri));
  }

  @Override
  public Path scratch(String key) {
    Path p = scratchRoot.resolve("work").resolve(checkKey(key));
    try {
      Files.createDirectories(p.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  @Override
  public Optional<Path> localFile(String uri) {
    return Optional.empty();
  }

  @Override
  public Optional<URI> presignedUrl(String uri) {
    if (presigner == null) return Optional.empty();
    String key = prefix + key(uri);
    var request =
        presigner.presignGetObject(
            b ->
                b.signatureDuration(presignExpiry)
                    .getObjectRequest(g -> g.bucket(bucket).key(key)));
    try {
      return Optional.of(request.url().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<String> list(String keyPrefix) {
    String top = objectKey(keyPrefix);
    List<String> keys = new ArrayList<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(top)).contents()) {
      String k = o.key();
      // Some servers (S3Proxy's filesystem backend) list directory markers, "a/b/": not objects.
      if (k.endsWith("/")) continue;
      if (k.equals(top) || k.startsWith(top + "/")) keys.add(k.substring(prefix.length()));
    }
    return keys;
  }

  /**
   * One DELETE per object: the batch DeleteObjects carries a checksum header S3Proxy answers with
   * 501, and a job's intermediates are a few hundred objects at most.
   */
  @Override
  public void deleteTree(String keyPrefix) {
    for (String k : list(keyPrefix)) s3.deleteObject(b -> b.bucket(bucket).key(prefix + k));
  }

  @Override
  public void close() {
    s3.close();
    if (presigner != null) presigner.close();
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
