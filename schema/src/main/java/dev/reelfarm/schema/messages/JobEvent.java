package dev.reelfarm.schema.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * An encoder's report about a job, one record per kind, told apart on the wire by {@code type}
 * (ENCODING, ENCODED, FAILED) as when this was one flat record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JobEvent.Encoding.class, name = "ENCODING"),
  @JsonSubTypes.Type(value = JobEvent.Encoded.class, name = "ENCODED"),
  @JsonSubTypes.Type(value = JobEvent.Failed.class, name = "FAILED")
})
public sealed interface JobEvent extends WireMessage {
  int SCHEMA_VERSION = 1;

  @Override
  default void validate() {
    WireMessage.requireVersion(schemaVersion(), SCHEMA_VERSION);
    WireMessage.require(jobId(), "jobId");
  }

  int schemaVersion();

  UUID jobId();

  long timestampMillis();

  /** An encoder started on the job's complete task. */
  record Encoding(int schemaVersion, UUID jobId, long timestampMillis) implements JobEvent {}

  /** The video and its poster are in the artifact store. */
  record Encoded(
      int schemaVersion,
      UUID jobId,
      String videoUri,
      String posterUri,
      long sizeBytes,
      double durationSeconds,
      int frames,
      long encodeMs,
      long timestampMillis)
      implements JobEvent {
    @Override
    public void validate() {
      JobEvent.super.validate();
      WireMessage.require(videoUri, "videoUri");
    }
  }

  record Failed(int schemaVersion, UUID jobId, String error, long timestampMillis)
      implements JobEvent {}
}
