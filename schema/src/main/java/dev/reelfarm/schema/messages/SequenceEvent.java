package dev.reelfarm.schema.messages;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.UUID;

/**
 * An encoder's report about a sequence batch's encode, one record per kind, told apart on the wire
 * by {@code type} (ENCODED, FAILED).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SequenceEvent.Encoded.class, name = "ENCODED"),
  @JsonSubTypes.Type(value = SequenceEvent.Failed.class, name = "FAILED")
})
public sealed interface SequenceEvent extends WireMessage {
  int SCHEMA_VERSION = 1;

  @Override
  default void validate() {
    WireMessage.requireVersion(schemaVersion(), SCHEMA_VERSION);
    WireMessage.require(batchId(), "batchId");
  }

  int schemaVersion();

  UUID batchId();

  long timestampMillis();

  /**
   * The sequence video is in the artifact store. {@code shotStartFrames}: where each shot begins in
   * it (the plan the encoder followed); a dissolve into shot k covers {@code transitionFrames}
   * frames from its start.
   */
  record Encoded(
      int schemaVersion,
      UUID batchId,
      String videoUri,
      long sizeBytes,
      double durationSeconds,
      int frames,
      List<Integer> shotStartFrames,
      int transitionFrames,
      long encodeMs,
      long timestampMillis)
      implements SequenceEvent {
    @Override
    public void validate() {
      SequenceEvent.super.validate();
      WireMessage.require(videoUri, "videoUri");
      WireMessage.requireNonEmpty(shotStartFrames, "shotStartFrames");
    }
  }

  record Failed(int schemaVersion, UUID batchId, String error, long timestampMillis)
      implements SequenceEvent {}
}
