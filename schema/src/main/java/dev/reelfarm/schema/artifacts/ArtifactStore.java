package dev.reelfarm.schema.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where frames, latents, previews and videos live, addressed by {@code file:} URIs. A directory
 * shared by all services (a local folder, or an RWX volume in a cluster). Writes are atomic (temp
 * file + rename), so a reader never sees half an artifact and a retried write replaces the whole.
 */
public final class ArtifactStore {
  private final Path root;

  public ArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** URI of {@code relativePath} under the store root. */
  public URI uri(String relativePath) {
    return resolve(relativePath).toUri();
  }

  /**
   * Local path of {@code relativePath} (see {@link ArtifactLayout}); refuses one that leaves the
   * root, so a bad prefix in a task cannot write elsewhere on the disk.
   */
  public Path resolve(String relativePath) {
    Path p = root.resolve(relativePath).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException(
          "artifact path " + relativePath + " is outside the store " + root);
    }
    return p;
  }

  /** Local path of a URI of this store; refuses URIs outside the root. */
  public Path path(String uri) {
    Path p = Path.of(URI.create(uri)).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("artifact " + uri + " is outside the store " + root);
    }
    return p;
  }

  /** Writes an artifact atomically and returns its URI. */
  public String write(String relativePath, byte[] data) {
    return write(relativePath, out -> out.write(data));
  }

  /** Writes an artifact atomically through {@code writer} and returns its URI. */
  public String write(String relativePath, StreamWriter writer) {
    Path target = resolve(relativePath);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "-" + target.getFileName());
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target.toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write artifact " + target, e);
    }
  }

  public byte[] read(String uri) {
    try {
      return Files.readAllBytes(path(uri));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read artifact " + uri, e);
    }
  }

  public InputStream open(String uri) throws IOException {
    return Files.newInputStream(path(uri));
  }

  /** Writes an artifact's bytes. */
  @FunctionalInterface
  public interface StreamWriter {
    void write(OutputStream out) throws IOException;
  }
}
