package dev.reelfarm.encoder.stitching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the chunks of a clip in order: for every global native frame, which chunk file(s) and frame
 * index it comes from. The owned ranges must tile {@code [0, totalFrames)} exactly once; anything
 * else is an {@link InvalidPlanException} naming the chunk, because encoding it would silently drop
 * or duplicate frames.
 *
 * <p>With {@link Seams#CROSS_FADE}, frames that two neighbouring chunks both rendered (the later
 * chunk's window reaching back before its owned start, and/or the earlier one's reaching past its
 * owned end) are mixed with {@link OverlapBlender} weights instead of cut at the ownership
 * boundary.
 */
public final class ClipAssembler {

  /** How neighbouring chunks meet. */
  public enum Seams {
    /** Each frame comes from the chunk that owns it. */
    HARD_CUT,
    /**
     * Frames both neighbours rendered are cross-faded linearly from the earlier to the later chunk.
     */
    CROSS_FADE
  }

  /**
   * One contribution to a native frame: frame {@code indexInChunk} of the chunk's file, times
   * weight.
   */
  public record Source(int chunkIndex, int indexInChunk, double weight) {}

  /**
   * A native frame of the clip: one source with weight 1, or two cross-faded sources summing to 1.
   */
  public record NativeFrame(int globalFrame, List<Source> sources) {}

  private record Fade(ChunkWindow earlier, ChunkWindow later, int start, int end) {
    boolean contains(int g) {
      return g >= start && g < end;
    }
  }

  private final int totalFrames;
  private final List<ChunkWindow> chunks; // in owned order
  private final int[] ownedStarts;
  private final List<Fade> fades = new ArrayList<>();

  private ClipAssembler(int totalFrames, List<ChunkWindow> ordered, Seams seams) {
    this.totalFrames = totalFrames;
    this.chunks = List.copyOf(ordered);
    this.ownedStarts = ordered.stream().mapToInt(ChunkWindow::ownedStart).toArray();
    if (seams == Seams.CROSS_FADE) {
      for (int i = 0; i + 1 < ordered.size(); i++) {
        ChunkWindow a = ordered.get(i);
        ChunkWindow b = ordered.get(i + 1);
        // Only frames both windows hold, and never beyond the two chunks' own ranges.
        int start = Math.max(b.windowStart(), a.ownedStart());
        int end = Math.min(a.windowEnd(), b.ownedEnd());
        if (end <= start) continue;
        Fade fade = new Fade(a, b, start, end);
        if (!fades.isEmpty() && fades.get(fades.size() - 1).end > start) {
          throw new InvalidPlanException(
              a
                  + " is shorter than its two overlaps: frames "
                  + start
                  + ".."
                  + (fades.get(fades.size() - 1).end - 1)
                  + " would be cross-faded from three chunks");
        }
        fades.add(fade);
      }
    }
  }

  /** Hard cuts at ownership boundaries. */
  public static ClipAssembler of(int totalFrames, List<ChunkWindow> chunks) {
    return of(totalFrames, chunks, Seams.HARD_CUT);
  }

  /**
   * Validates the plan and builds the frame map.
   *
   * @throws InvalidPlanException naming the chunk when owned ranges leave a gap, overlap, reach
   *     past {@code totalFrames} or lie outside their own window
   */
  public static ClipAssembler of(int totalFrames, List<ChunkWindow> chunks, Seams seams) {
    if (totalFrames <= 0)
      throw new InvalidPlanException("totalFrames must be positive, was " + totalFrames);
    if (chunks == null || chunks.isEmpty())
      throw new InvalidPlanException("the plan has no chunks");
    Set<Integer> indices = new HashSet<>();
    for (ChunkWindow c : chunks) {
      if (!indices.add(c.chunkIndex())) {
        throw new InvalidPlanException("chunk " + c.chunkIndex() + " appears more than once");
      }
      if (c.windowFrames() <= 0) {
        throw new InvalidPlanException(c + " has " + c.windowFrames() + " frames in its window");
      }
      if (c.ownedEnd() <= c.ownedStart()) {
        throw new InvalidPlanException(c + " owns no frames");
      }
      if (c.ownedStart() < c.windowStart() || c.ownedEnd() > c.windowEnd()) {
        throw new InvalidPlanException(c + " owns frames outside its window");
      }
    }
    List<ChunkWindow> ordered = new ArrayList<>(chunks);
    ordered.sort(Comparator.comparingInt(ChunkWindow::ownedStart));
    int expected = 0;
    ChunkWindow previous = null;
    for (ChunkWindow c : ordered) {
      if (c.ownedStart() > expected) {
        throw new InvalidPlanException(
            "gap: frames ["
                + expected
                + ", "
                + c.ownedStart()
                + ") are owned by no chunk (before "
                + c
                + ")");
      }
      if (c.ownedStart() < expected) {
        throw new InvalidPlanException(
            "overlap: "
                + c
                + " and "
                + previous
                + " both own frames ["
                + c.ownedStart()
                + ", "
                + Math.min(expected, c.ownedEnd())
                + ")");
      }
      expected = c.ownedEnd();
      previous = c;
    }
    if (expected < totalFrames) {
      throw new InvalidPlanException(
          "gap: frames ["
              + expected
              + ", "
              + totalFrames
              + ") are owned by no chunk (after "
              + previous
              + ")");
    }
    if (expected > totalFrames) {
      throw new InvalidPlanException(
          previous + " owns frames past the clip's " + totalFrames + " frames");
    }
    return new ClipAssembler(totalFrames, ordered, seams);
  }

  public int totalFrames() {
    return totalFrames;
  }

  /** The chunks in clip order. */
  public List<ChunkWindow> chunksInOrder() {
    return chunks;
  }

  /** Where global native frame {@code g} comes from. */
  public NativeFrame frame(int g) {
    if (g < 0 || g >= totalFrames) {
      throw new IndexOutOfBoundsException("frame " + g + " of a " + totalFrames + "-frame clip");
    }
    for (Fade f : fades) {
      if (f.contains(g)) {
        double later = OverlapBlender.laterChunkWeights(f.end - f.start)[g - f.start];
        return new NativeFrame(
            g,
            List.of(
                new Source(f.earlier.chunkIndex(), g - f.earlier.windowStart(), 1 - later),
                new Source(f.later.chunkIndex(), g - f.later.windowStart(), later)));
      }
    }
    ChunkWindow owner = owner(g);
    return new NativeFrame(
        g, List.of(new Source(owner.chunkIndex(), g - owner.windowStart(), 1.0)));
  }

  /**
   * How many leading native frames can be assembled once the first {@code chunks} chunks (in clip
   * order) are available: lets an encoder start on chunk k before the chunks after it are done.
   */
  public int framesReadyWith(int chunksAvailable) {
    if (chunksAvailable <= 0) return 0;
    if (chunksAvailable >= chunks.size()) return totalFrames;
    int ready = chunks.get(chunksAvailable - 1).ownedEnd();
    for (Fade f : fades) {
      // A fade into a chunk that is not there yet cannot be mixed.
      if (f.later == chunks.get(chunksAvailable)) ready = Math.min(ready, f.start);
    }
    return ready;
  }

  private ChunkWindow owner(int g) {
    int lo = 0;
    int hi = ownedStarts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (ownedStarts[mid] <= g) lo = mid;
      else hi = mid - 1;
    }
    return chunks.get(lo);
  }
}
