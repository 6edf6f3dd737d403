package dev.reelfarm.encoder.messaging;

import dev.reelfarm.encoder.stitching.ChunkWindow;
import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.InvalidPlanException;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.EncodeTask.ChunkFrames;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One clip's encode, checked: its preset, where its output goes, its chunks' windows and stitching,
 * its frame rate conversion and the frames files at hand ({@code files}: of the chunks that have
 * them, all of them in a complete task). Made the same way for a clip's own video and for its shot
 * in a sequence.
 *
 * @param output the store-relative directory the clip's video and poster go to
 */
record ClipPlan(
    Preset preset,
    String output,
    List<ChunkWindow> windows,
    ClipAssembler clip,
    FrameRateConverter fps,
    Map<Integer, Path> files,
    int frameBytes) {

  /**
   * Everything that can be checked before encoding {@code task}, with the frames files it reads
   * (local copies); a failure here is poison.
   */
  static ClipPlan of(EncodeTask task, ArtifactStore store) {
    Preset preset;
    try {
      preset = Preset.parse(task.preset());
    } catch (IllegalArgumentException e) {
      throw poison(e.getMessage(), e);
    }
    if (task.nativeWidth() <= 0 || task.nativeHeight() <= 0 || task.nativeFps() <= 0) {
      throw poison(
          "bad native format "
              + task.nativeWidth()
              + "x"
              + task.nativeHeight()
              + " at "
              + task.nativeFps()
              + " fps",
          null);
    }
    if (task.chunks() == null || task.chunks().isEmpty())
      throw poison("the plan has no chunks", null);
    String output = outputPrefix(task, store);
    List<ChunkWindow> windows = new ArrayList<>();
    for (ChunkFrames c : task.chunks()) {
      windows.add(
          new ChunkWindow(
              c.chunkIndex(), c.windowStart(), c.windowFrames(), c.ownedStart(), c.ownedEnd()));
    }
    ClipAssembler clip;
    try {
      // Frames two neighbours both rendered are cross-faded: identical (restored context) frames
      // are unchanged by it, and overlapping infill frames blend instead of cutting.
      clip = ClipAssembler.of(task.totalFrames(), windows, ClipAssembler.Seams.CROSS_FADE);
    } catch (InvalidPlanException e) {
      throw poison("bad chunk plan: " + e.getMessage(), e);
    }
    int frameBytes =
        Math.multiplyExact(Math.multiplyExact(task.nativeWidth(), task.nativeHeight()), 3);
    Map<Integer, Path> files = new HashMap<>();
    for (ChunkFrames c : task.chunks()) {
      if (c.framesUri() == null) {
        if (task.complete())
          throw poison(
              "chunk " + c.chunkIndex() + " has no frames in a complete encode task", null);
        continue;
      }
      OptionalLong found;
      try {
        found = store.size(c.framesUri());
      } catch (IllegalArgumentException e) {
        throw poison(
            "chunk " + c.chunkIndex() + ": bad frames URI " + c.framesUri() + ": " + e.getMessage(),
            e);
      }
      if (found.isEmpty()) {
        throw poison(
            "chunk " + c.chunkIndex() + ": frames file is missing: " + c.framesUri(), null);
      }
      long expected = (long) c.windowFrames() * frameBytes;
      long actual = found.getAsLong();
      if (actual != expected) {
        throw poison(
            "chunk "
                + c.chunkIndex()
                + ": frames file "
                + c.framesUri()
                + " has "
                + actual
                + " bytes, expected "
                + expected
                + " ("
                + c.windowFrames()
                + " frames of "
                + task.nativeWidth()
                + "x"
                + task.nativeHeight()
                + " RGB24)",
            null);
      }
      // Positioned reads want a local file: the store's own, or a copy (downloaded once).
      Path file = store.localCopy(c.framesUri());
      files.put(c.chunkIndex(), file);
    }
    FrameRateConverter fps =
        new FrameRateConverter(
            task.nativeFps(),
            preset.fps(),
            task.totalFrames(),
            FrameRateConverter.Interpolation.of(interpolation(task, preset)));
    return new ClipPlan(preset, output, windows, clip, fps, files, frameBytes);
  }

  /** The task's frame rate conversion, or its preset's; an unknown name is poison. */
  private static Interpolation interpolation(EncodeTask task, Preset preset) {
    if (task.interpolation() == null) return preset.interpolation();
    return Interpolation.find(task.interpolation())
        .orElseThrow(() -> poison("unknown interpolation '" + task.interpolation() + "'", null));
  }

  /**
   * Where the orchestrator wants the clip; an older orchestrator that sends no prefix gets the
   * standard layout. A prefix that leaves the store can never work: poison.
   */
  private static String outputPrefix(EncodeTask task, ArtifactStore store) {
    String prefix = task.artifactPrefix();
    if (prefix == null || prefix.isBlank()) return ArtifactLayout.outputPrefix(task.jobId());
    try {
      store.checkKey(prefix);
    } catch (IllegalArgumentException e) {
      throw poison("bad artifactPrefix: " + e.getMessage(), e);
    }
    return prefix;
  }

  static PoisonTaskException poison(String message, Throwable cause) {
    return new PoisonTaskException(message, cause);
  }
}
