package dev.reelfarm.schema.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where frames, latents, previews and videos live, shared by all services: artifacts are named by
 * store-relative keys ({@link ArtifactLayout}) and handed between services as URIs ({@code file:}
 * for {@link FileArtifactStore}, {@code s3://bucket/key} for {@link S3ArtifactStore}).
 *
 * <p>Every store gives the same guarantees: a write is atomic (a reader sees the whole artifact or
 * none, so a chunk's frames are complete before its COMPLETED is sent), a retried write replaces
 * the whole artifact, and {@link #claim} lets at most one owner hold a key. Keys and URIs that
 * leave the store are refused with an {@link IllegalArgumentException}, so a bad prefix in a task
 * cannot touch anything else. I/O failures are {@link java.io.UncheckedIOException}s.
 */
public interface ArtifactStore {

  /** URI of {@code key}. */
  String uri(String key);

  /** The key of a URI of this store. */
  String key(String uri);

  /** {@code key}, checked: refuses one that leaves the store. */
  String checkKey(String key);

  /** Writes an artifact atomically and returns its URI. */
  String write(String key, byte[] data);

  /** Writes an artifact atomically through {@code writer} and returns its URI. */
  String write(String key, StreamWriter writer);

  /** Publishes a local file (from {@link #scratch}) as an artifact, atomically; returns its URI. */
  String upload(String key, Path file);

  /**
   * Claims {@code key} for {@code owner}: at most one owner ever holds a key, even across hosts.
   *
   * @return true when {@code owner} holds it (claimed now, or by an earlier call of the same
   *     owner); false when another owner does, or (S3) when concurrent claimants collided and none
   *     won
   */
  boolean claim(String key, String owner);

  /** The owner holding {@code key}'s claim, if any. */
  Optional<String> claimant(String key);

  byte[] read(String uri);

  InputStream open(String uri) throws IOException;

  /** {@code length} bytes from {@code start} (within the artifact's size). */
  InputStream open(String uri, long start, long length) throws IOException;

  /** The artifact's size; empty when it does not exist. */
  OptionalLong size(String uri);

  /**
   * A local file with the artifact's bytes, for readers that need a file (FFmpeg, positioned
   * reads): the store's own file, or a downloaded copy kept until {@link #evictLocalCopy}.
   */
  Path localCopy(String uri);

  /** Drops a downloaded copy made by {@link #localCopy} (nothing for a store of local files). */
  void evictLocalCopy(String uri);

  /**
   * A local file to build the artifact {@code key} in before {@link #upload}ing it; its directory
   * exists. For the filesystem store it lies next to the artifact (a hidden name keeps it apart).
   */
  Path scratch(String key);

  /** The store's own local file of an artifact, which can be served directly; empty for S3. */
  Optional<Path> localFile(String uri);

  /** A URL a client may GET the artifact from for a while, if the store hands those out. */
  Optional<URI> presignedUrl(String uri);

  /** Every key under {@code prefix} (at any depth), in no particular order. */
  List<String> list(String prefix);

  /** Deletes the key {@code prefix} and every key under it; none there is fine. */
  void deleteTree(String prefix);

  /** Writes an artifact's bytes. */
  @FunctionalInterface
  interface StreamWriter {
    void write(OutputStream out) throws IOException;
  }
}
