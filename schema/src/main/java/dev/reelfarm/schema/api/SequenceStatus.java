package dev.reelfarm.schema.api;

/**
 * The state of a sequence batch's one-MP4 encode, once every shot has succeeded. The CHECK on
 * {@code render_batch.sequence_status} (V19) is the source of the values; a test keeps them equal.
 */
public enum SequenceStatus {
  ENCODING,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
