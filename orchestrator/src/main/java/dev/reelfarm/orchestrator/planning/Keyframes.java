package dev.reelfarm.orchestrator.planning;

import dev.reelfarm.schema.api.ChunkRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keyframes of an anchored plan, as a storyboard shows them: every frame an infill is
 * conditioned on that lies inside the clip, in clip order, each with the anchor chunk it comes from
 * (the one the infill depends on, so exactly the keyframe the clip will hold) and its place in that
 * anchor's window. Pure.
 */
public final class Keyframes {

  /**
   * One keyframe: global native frame {@code frame}, rendered by anchor chunk {@code anchor} as the
   * {@code position}-th frame of its window.
   */
  public record Keyframe(int frame, int anchor, int position) {}

  /** The plan's keyframes; empty for a plan without infills (sequential, independent). */
  public static List<Keyframe> of(List<PlannedChunk> plan, int totalFrames) {
    Map<Integer, PlannedChunk> byIndex = new TreeMap<>();
    for (PlannedChunk c : plan) byIndex.put(c.index(), c);
    Map<Integer, Keyframe> byFrame = new TreeMap<>();
    for (PlannedChunk infill : plan) {
      if (infill.role() != ChunkRole.INFILL) continue;
      for (int frame : infill.contextFrames()) {
        if (frame >= totalFrames || byFrame.containsKey(frame)) continue;
        for (int dependency : infill.dependsOn()) {
          PlannedChunk anchor = byIndex.get(dependency);
          if (anchor != null && anchor.frames().contains(frame)) {
            byFrame.put(frame, new Keyframe(frame, anchor.index(), anchor.frames().indexOf(frame)));
            break;
          }
        }
      }
    }
    return new ArrayList<>(byFrame.values());
  }

  private Keyframes() {}
}
