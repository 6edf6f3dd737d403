package dev.reelfarm.schema.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON (de)serializer for every message. Unknown fields are ignored so producers can add
 * fields.
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
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException(type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  public static <T> T fromBytes(byte[] bytes, Class<T> type) {
    return fromJson(new String(bytes, StandardCharsets.UTF_8), type);
  }

  public static byte[] toBytes(Object message) {
    return toJson(message).getBytes(StandardCharsets.UTF_8);
  }

  /** A message that cannot be read: poison, never worth a retry. */
  public static final class MalformedMessageException extends RuntimeException {
    MalformedMessageException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private MessageCodec() {}
}
