package dev.reelfarm.encoder.stitching;

/**
 * The frames one chunk rendered: its file holds {@code windowFrames} frames starting at global
 * native frame {@code windowStart}; frames {@code [ownedStart, ownedEnd)} are the ones it
 * contributes to the clip. Frames of the window outside the owned range are overlap with a
 * neighbour (context frames), usable for a cross-fade.
 */
public record ChunkWindow(
    int chunkIndex, int windowStart, int windowFrames, int ownedStart, int ownedEnd) {

  /** One past the last global frame of the window. */
  public int windowEnd() {
    return windowStart + windowFrames;
  }

  public boolean windowContains(int globalFrame) {
    return globalFrame >= windowStart && globalFrame < windowEnd();
  }

  public boolean owns(int globalFrame) {
    return globalFrame >= ownedStart && globalFrame < ownedEnd;
  }

  @Override
  public String toString() {
    return "chunk "
        + chunkIndex
        + " (owns ["
        + ownedStart
        + ", "
        + ownedEnd
        + "), window ["
        + windowStart
        + ", "
        + windowEnd()
        + "))";
  }
}
