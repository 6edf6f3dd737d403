package dev.reelfarm.schema.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The store as a directory shared by all services (a local folder, or an RWX volume in a cluster),
 * addressed by {@code file:} URIs. Writes are atomic (temp file + rename), so a reader never sees
 * half an artifact and a retried write replaces the whole; a {@link #claim} is created with {@code
 * O_CREAT|O_EXCL}.
 */
public final class FileArtifactStore implements ArtifactStore {
  private final Path root;

  public FileArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public String uri(String key) {
    return resolve(key).toUri().toString();
  }

  @Override
  public String key(String uri) {
    return root.relativize(path(uri)).toString().replace('\\', '/');
  }

  @Override
  public String checkKey(String key) {
    resolve(key);
    return key;
  }

  /**
   * Local path of {@code key} (see {@link ArtifactLayout}); refuses one that leaves the root, so a
   * bad prefix in a task cannot write elsewhere on the disk.
   */
  public Path resolve(String key) {
    Path p = root.resolve(key).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("artifact path " + key + " is outside the store " + root);
    }
    return p;
  }

  /** Local path of a URI of this store; refuses URIs outside the root. */
  public Path path(String uri) {
    Path p;
    try {
      p = Path.of(URI.create(uri)).normalize();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("artifact " + uri + " is not a file URI", e);
    }
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("artifact " + uri + " is outside the store " + root);
    }
    return p;
  }

  @Override
  public String write(String key, byte[] data) {
    return write(key, out -> out.write(data));
  }

  @Override
  public String write(String key, StreamWriter writer) {
    Path target = resolve(key);
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

  @Override
  public String upload(String key, Path file) {
    return write(key, out -> Files.copy(file, out));
  }

  /** The claim is a file holding its owner, created with {@code O_CREAT|O_EXCL}. */
  @Override
  public boolean claim(String key, String owner) {
    Path target = resolve(key);
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(target, owner, StandardOpenOption.CREATE_NEW);
      return true;
    } catch (FileAlreadyExistsException e) {
      // Being written by its claimant right now reads as empty: claimed by another all the same.
      return claimant(key).orElse("").equals(owner);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim " + target, e);
    }
  }

  @Override
  public Optional<String> claimant(String key) {
    try {
      return Optional.of(Files.readString(resolve(key), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public byte[] read(String uri) {
    try {
      return Files.readAllBytes(path(uri));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read artifact " + uri, e);
    }
  }

  @Override
  public InputStream open(String uri) throws IOException {
    return Files.newInputStream(path(uri));
  }

  @Override
  public InputStream open(String uri, long start, long length) throws IOException {
    FileChannel ch = FileChannel.open(path(uri), StandardOpenOption.READ);
    ch.position(start);
    return new BoundedInputStream(Channels.newInputStream(ch), length);
  }

  @Override
  public OptionalLong size(String uri) {
    Path p = path(uri);
    return Files.isRegularFile(p) ? OptionalLong.of(p.toFile().length()) : OptionalLong.empty();
  }

  @Override
  public Path localCopy(String uri) {
    return path(uri);
  }

  @Override
  public void evictLocalCopy(String uri) {
    // the file is the artifact itself
  }

  @Override
  public Path scratch(String key) {
    Path p = resolve(key);
    try {
      Files.createDirectories(p.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  @Override
  public Optional<Path> localFile(String uri) {
    return Optional.of(path(uri));
  }

  @Override
  public Optional<URI> presignedUrl(String uri) {
    return Optional.empty();
  }

  @Override
  public List<String> list(String prefix) {
    Path dir = resolve(prefix);
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  @Override
  public void deleteTree(String prefix) {
    Path top = resolve(prefix);
    if (!Files.exists(top)) return;
    try {
      List<Path> deepestFirst;
      try (Stream<Path> all = Files.walk(top)) {
        deepestFirst = all.sorted(Comparator.reverseOrder()).toList();
      }
      for (Path p : deepestFirst) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException e) {
          // gone meanwhile: what we wanted
        }
      }
    } catch (NoSuchFileException e) {
      // the whole tree went meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + top, e);
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
