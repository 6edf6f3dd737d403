package dev.reelfarm.launcher;

import dev.reelfarm.infra.ServiceStartException;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a farm is closing, and the hand-over of each component started while it was not: a
 * component that finishes starting after {@code close()} began (Ctrl-C during start-up) is stopped
 * at once instead of being stored, so nothing outlives the farm.
 */
final class StartGuard {

  private static final Logger LOG = LoggerFactory.getLogger(StartGuard.class);

  private boolean closed;

  /**
   * Stores {@code component} with {@code store} unless the farm is closing; then stops it.
   *
   * @throws ServiceStartException when the farm is closing
   */
  synchronized <T> T keep(T component, Consumer<T> store) {
    if (closed) {
      stopQuietly(component);
      throw new ServiceStartException("farm", "stopped during start-up", null, List.of());
    }
    store.accept(component);
    return component;
  }

  /** Marks the farm closing; false if it already was. */
  synchronized boolean close() {
    if (closed) return false;
    closed = true;
    return true;
  }

  synchronized boolean isClosed() {
    return closed;
  }

  static void stopQuietly(Object component) {
    try {
      if (component instanceof AutoCloseable c) c.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", component, e.toString());
    }
  }
}
