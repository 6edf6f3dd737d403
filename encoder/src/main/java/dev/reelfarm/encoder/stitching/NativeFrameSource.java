package dev.reelfarm.encoder.stitching;

import java.io.IOException;

/**
 * Where chunk frames are read from. The seam between stitching and storage: today whole chunk files
 * on the artifact store; for early encoding, a source that waits until chunk k has landed.
 */
@FunctionalInterface
public interface NativeFrameSource {
  /**
   * Fills {@code into} (RGB24, native size) with frame {@code indexInChunk} of chunk {@code
   * chunkIndex}'s file.
   */
  void read(int chunkIndex, int indexInChunk, byte[] into) throws IOException;
}
