package dev.reelfarm.schema.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON (de)serializer for every message. Unknown fields are ignored so producers can add
 * fields. Reading never throws anything but {@link MalformedMessageException}: whatever a record
 * holds (null, not JSON, the wrong shape, a {@link WireMessage} that fails its {@link
 * WireMessage#validate()}), its consumer can skip it with a reason.
 */
public final class MessageCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static String toJson(Object message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot serialise " + message.getClass().getSimpleName(), e);
    }
  }

  public static <T> T fromJson(String json, Class<T> type) {
    if (json == null || json.isBlank()) {
      throw new MalformedMessageException(type.getSimpleName() + ": no value");
    }
    T message;
    try {
      message = MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException(
          type.getSimpleName() + ": " + field(e) + e.getOriginalMessage(), e);
    } catch (RuntimeException e) { // a constructor's own check, or Jackson beyond its contract
      throw new MalformedMessageException(type.getSimpleName() + ": " + e, e);
    }
    if (message == null) throw new MalformedMessageException(type.getSimpleName() + ": null");
    if (message instanceof WireMessage checked) {
      try {
        checked.validate();
      } catch (MalformedMessageException e) {
        throw new MalformedMessageException(type.getSimpleName() + ": " + e.getMessage(), e);
      }
    }
    return message;
  }

  /**
   * Reads a record's value; a topic of {@code byte[]} (the dead-letter topic) carries values as
   * they are.
   */
  public static <T> T fromBytes(byte[] bytes, Class<T> type) {
    if (type == byte[].class) return type.cast(bytes);
    if (bytes == null) throw new MalformedMessageException(type.getSimpleName() + ": no value");
    return fromJson(new String(bytes, StandardCharsets.UTF_8), type);
  }

  /** {@code "chunks[0].framesUri: "}: where in the message Jackson gave up, when it says. */
  private static String field(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) return "";
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) path.append('.');
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "" : path + ": ";
  }

  public static byte[] toBytes(Object message) {
    if (message instanceof byte[] raw) return raw;
    return toJson(message).getBytes(StandardCharsets.UTF_8);
  }

  /** A message that cannot be read: poison, never worth a retry. */
  public static final class MalformedMessageException extends RuntimeException {
    MalformedMessageException(String message, Throwable cause) {
      super(message, cause);
    }

    MalformedMessageException(String message) {
      super(message);
    }
  }

  private MessageCodec() {}
}
