package dev.reelfarm.encoder.stitching;

import dev.reelfarm.encoder.stitching.ClipAssembler.NativeFrame;
import dev.reelfarm.encoder.stitching.ClipAssembler.Source;
import dev.reelfarm.encoder.stitching.FrameRateConverter.OutputFrame;
import java.io.IOException;

/**
 * Produces the clip's frames in order at native resolution: each native frame assembled from its
 * chunk(s) (cross-fades mixed), each output frame mixed from two native frames. Output frames walk
 * forward through native frames, so the two most recent native frames are all it keeps.
 */
public final class ClipFrames {
  private final ClipAssembler clip;
  private final NativeFrameSource source;
  private final int frameBytes;
  private final int[] cachedIndex = {-1, -1};
  private final byte[][] cached;
  private final byte[] scratch;
  private final byte[] mixed;
  private int mostRecentSlot;

  public ClipFrames(
      ClipAssembler clip, NativeFrameSource source, int nativeWidth, int nativeHeight) {
    this.clip = clip;
    this.source = source;
    this.frameBytes = Math.multiplyExact(Math.multiplyExact(nativeWidth, nativeHeight), 3);
    this.cached = new byte[][] {new byte[frameBytes], new byte[frameBytes]};
    this.scratch = new byte[frameBytes];
    this.mixed = new byte[frameBytes];
  }

  public int frameBytes() {
    return frameBytes;
  }

  /** Native frame {@code g}; the array is shared: read it before the next call, never write it. */
  public byte[] nativeFrame(int g) throws IOException {
    for (int slot = 0; slot < 2; slot++) {
      if (cachedIndex[slot] == g) {
        mostRecentSlot = slot;
        return cached[slot];
      }
    }
    int slot = 1 - mostRecentSlot; // evict the least recently used
    mostRecentSlot = slot;
    cachedIndex[slot] = -1; // invalid until fully read
    byte[] into = cached[slot];
    NativeFrame frame = clip.frame(g);
    Source first = frame.sources().get(0);
    source.read(first.chunkIndex(), first.indexInChunk(), into);
    if (frame.sources().size() == 2) {
      Source second = frame.sources().get(1);
      source.read(second.chunkIndex(), second.indexInChunk(), scratch);
      FrameMixer.mix(into, scratch, second.weight(), into);
    }
    cachedIndex[slot] = g;
    return into;
  }

  /**
   * The native-resolution picture of output frame {@code f}; shared as for {@link #nativeFrame}.
   */
  public byte[] outputFrame(OutputFrame f) throws IOException {
    if (f.weight() == 0) return nativeFrame(f.from());
    byte[] a = nativeFrame(f.from());
    byte[] b = nativeFrame(f.to()); // the other cache slot: a stays valid
    FrameMixer.mix(a, b, f.weight(), mixed);
    return mixed;
  }
}
