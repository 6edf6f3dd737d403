package dev.reelfarm.schema.messages;

import java.util.UUID;

/** An encoder's report about a job. */
public record JobEvent(
    int schemaVersion,
    Type type,
    UUID jobId,
    String videoUri,
    String posterUri,
    long sizeBytes,
    double durationSeconds,
    int frames,
    long encodeMs,
    String error,
    long timestampMillis) {

  public static final int SCHEMA_VERSION = 1;

  public enum Type {
    ENCODING,
    ENCODED,
    FAILED
  }
}
