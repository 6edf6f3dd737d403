package dev.reelfarm.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Servers started once per test JVM and stopped when the JUnit platform closes its root context
 * (after the last test), so a module's test classes share one PostgreSQL and one broker.
 */
final class SharedServers {
  private static final Namespace NAMESPACE = Namespace.create(SharedServers.class);

  /**
   * Returns the JVM-wide instance of {@code type}, starting it with {@code start} the first time.
   */
  static <T extends AutoCloseable> T get(
      ExtensionContext context, Class<T> type, Starter<T> start) {
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    // The store closes the resource (Kafka broker, PostgreSQL) once the whole run is over.
    Closing<?> closing =
        store.getOrComputeIfAbsent(
            type,
            key -> {
              try {
                Path scratch = Files.createTempDirectory("reelfarm-test-");
                return new Closing<>(start.start(scratch), scratch);
              } catch (Exception e) {
                throw new IllegalStateException("cannot start the test " + type.getSimpleName(), e);
              }
            },
            Closing.class);
    return type.cast(closing.value());
  }

  @FunctionalInterface
  interface Starter<T> {
    T start(Path scratchDir) throws Exception;
  }

  private record Closing<T extends AutoCloseable>(T value, Path scratch)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      value.close();
      try (var paths = Files.walk(scratch)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private SharedServers() {}
}
