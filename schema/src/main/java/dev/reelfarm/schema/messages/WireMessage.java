package dev.reelfarm.schema.messages;

import dev.reelfarm.schema.messages.MessageCodec.MalformedMessageException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;

/**
 * A message read from Kafka: {@link MessageCodec} calls {@link #validate()} after decoding, so a
 * record that parses as JSON but lacks what its consumer relies on (its ids, a known {@code
 * schemaVersion}) is malformed at the edge instead of failing deep inside a handler.
 */
public interface WireMessage {

  /**
   * @throws MalformedMessageException naming what is missing or invalid
   */
  void validate();

  /** A version this reader knows: 1 up to {@code newest}. */
  static void requireVersion(int version, int newest) {
    if (version < 1 || version > newest) {
      throw new MalformedMessageException(
          "schemaVersion " + version + " is not one this reader knows (1.." + newest + ")");
    }
  }

  static void require(Object value, String field) {
    if (value == null) throw new MalformedMessageException(field + " is missing");
  }

  static void requireNonEmpty(Collection<?> value, String field) {
    if (value == null || value.isEmpty()) throw new MalformedMessageException(field + " is empty");
  }

  /**
   * A path relative to the artifact store that stays inside it (resolved by the consumer under its
   * store root).
   */
  static void requireRelativePath(String value, String field) {
    require(value, field);
    try {
      Path path = Path.of(value).normalize();
      if (path.isAbsolute() || path.startsWith("..")) {
        throw new MalformedMessageException(field + " " + value + " leaves the artifact store");
      }
    } catch (InvalidPathException e) {
      throw new MalformedMessageException(field + " is not a path: " + e.getMessage());
    }
  }
}
