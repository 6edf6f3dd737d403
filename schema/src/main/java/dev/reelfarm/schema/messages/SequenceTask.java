package dev.reelfarm.schema.messages;

import java.util.List;
import java.util.UUID;

/**
 * Encode a sequence batch's shots, in order, into one MP4 under {@code artifactPrefix}: each shot
 * is its job's complete {@link EncodeTask} (its chunks' frames and its frame rate conversion), so
 * each shot goes through the same stitching, conversion and upscale as its own clip; shots meet
 * with a {@code cut} or a {@code dissolve} of {@code transitionFrames} output frames (0 for a cut).
 * Sent once every shot has succeeded; keyed by the batch.
 */
public record SequenceTask(
    int schemaVersion,
    UUID batchId,
    String preset,
    String transition,
    int transitionFrames,
    String artifactPrefix,
    List<EncodeTask> shots)
    implements WireMessage {

  public static final int SCHEMA_VERSION = 1;

  @Override
  public void validate() {
    WireMessage.requireVersion(schemaVersion, SCHEMA_VERSION);
    WireMessage.require(batchId, "batchId");
    WireMessage.require(preset, "preset");
    WireMessage.require(transition, "transition");
    WireMessage.requireRelativePath(artifactPrefix, "artifactPrefix");
    WireMessage.requireNonEmpty(shots, "shots");
    for (EncodeTask shot : shots) {
      shot.validate();
      if (!shot.complete()) throw new MessageCodec.MalformedMessageException("a shot is partial");
    }
  }
}
