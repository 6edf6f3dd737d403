package dev.reelfarm.encoder.stitching;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each shot of a sequence falls in the sequence video, in output frames. With a cut, shot k
 * starts right after shot k−1's last frame: {@code start(k) = start(k−1) + frames(k−1)}. With a
 * dissolve of {@code D} frames, shot k starts {@code D} frames before shot k−1 ends, and those
 * {@code D} frames mix the two: frame {@code start(k) + i} (i in 0..D−1) is {@code (1 − w) · shot
 * k−1 + w · shot k} with {@code w = (i + 1) / (D + 1)}, so the mix never shows either shot alone
 * and the weights are symmetric around the middle. The sequence has {@code Σ frames − (shots − 1) ·
 * D} frames; every frame of every shot is shown exactly once, alone or in a dissolve. Pure.
 */
public final class SequencePlan {

  /** How one shot meets the next. */
  public enum Transition {
    CUT,
    DISSOLVE
  }

  /** Shot {@code shot}'s frame {@code frame}, weighted {@code weight} in the sequence frame. */
  public record Source(int shot, int frame, double weight) {}

  private final int[] shotFrames;
  private final int[] starts;
  private final int transitionFrames;
  private final int totalFrames;

  private SequencePlan(int[] shotFrames, int transitionFrames) {
    this.shotFrames = shotFrames;
    this.transitionFrames = transitionFrames;
    this.starts = new int[shotFrames.length];
    for (int k = 1; k < shotFrames.length; k++)
      starts[k] = starts[k - 1] + shotFrames[k - 1] - transitionFrames;
    int last = shotFrames.length - 1;
    this.totalFrames = starts[last] + shotFrames[last];
  }

  /**
   * The plan of shots with {@code shotFrames} output frames each, meeting with {@code transition}
   * ({@code transitionFrames} long for a dissolve; ignored for a cut).
   *
   * @throws InvalidPlanException no shots, an empty shot, a dissolve shorter than a frame, or one
   *     so long that two dissolves would overlap inside a shot (or one would cover a whole end
   *     shot)
   */
  public static SequencePlan of(
      List<Integer> shotFrames, Transition transition, int transitionFrames) {
    if (shotFrames.isEmpty()) throw new InvalidPlanException("a sequence needs at least one shot");
    int[] frames = shotFrames.stream().mapToInt(Integer::intValue).toArray();
    for (int k = 0; k < frames.length; k++)
      if (frames[k] <= 0) throw new InvalidPlanException("shot " + k + " has no frames");
    if (transition == Transition.CUT || frames.length == 1) return new SequencePlan(frames, 0);
    if (transitionFrames < 1)
      throw new InvalidPlanException(
          "a dissolve lasts at least one frame, not " + transitionFrames);
    for (int k = 0; k < frames.length; k++) {
      boolean inner = k > 0 && k < frames.length - 1;
      int needed = inner ? 2 * transitionFrames : transitionFrames + 1;
      if (frames[k] < needed)
        throw new InvalidPlanException(
            "shot "
                + k
                + " has "
                + frames[k]
                + " frames, a "
                + transitionFrames
                + "-frame dissolve needs at least "
                + needed);
    }
    return new SequencePlan(frames, transitionFrames);
  }

  public int totalFrames() {
    return totalFrames;
  }

  public int shots() {
    return shotFrames.length;
  }

  /** The dissolve's length in frames; 0 for cuts. */
  public int transitionFrames() {
    return transitionFrames;
  }

  /** The sequence frame where shot {@code shot} begins (a dissolve into it starts there). */
  public int start(int shot) {
    return starts[shot];
  }

  /** Every shot's first frame in the sequence, in shot order. */
  public List<Integer> starts() {
    List<Integer> list = new ArrayList<>(starts.length);
    for (int s : starts) list.add(s);
    return list;
  }

  /** The sequence frame after shot {@code shot}'s last frame. */
  public int end(int shot) {
    return starts[shot] + shotFrames[shot];
  }

  /**
   * What sequence frame {@code index} shows: one shot's frame (weight 1), or in a dissolve the
   * outgoing shot's frame then the incoming shot's, their weights summing to 1.
   */
  public List<Source> frame(int index) {
    if (index < 0 || index >= totalFrames)
      throw new IndexOutOfBoundsException("sequence frame " + index + " of " + totalFrames);
    int shot = shotAt(index);
    int inShot = index - starts[shot];
    if (shot > 0 && inShot < transitionFrames) {
      double w = (inShot + 1) / (double) (transitionFrames + 1);
      return List.of(
          new Source(shot - 1, index - starts[shot - 1], 1 - w), new Source(shot, inShot, w));
    }
    return List.of(new Source(shot, inShot, 1));
  }

  /** The last shot that has begun by {@code index}. */
  private int shotAt(int index) {
    int shot = 0;
    while (shot + 1 < starts.length && starts[shot + 1] <= index) shot++;
    return shot;
  }
}
