package dev.reelfarm.encoder.messaging;

import dev.reelfarm.encoder.media.ChunkFrameFiles;
import dev.reelfarm.encoder.media.ClipEncoder;
import dev.reelfarm.encoder.stitching.ChunkWindow;
import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One job's clip being encoded on this encoder while its chunks finish: the frames files known so
 * far, the stitcher over them and the open MP4 in a scratch file. Frames are added, never replaced:
 * a task whose plan or frames differ from what this encoding already used cannot continue it.
 */
final class OpenEncoding implements AutoCloseable {
  private final Preset preset;
  private final int totalFrames;
  private final List<ChunkWindow> windows;
  private final ClipAssembler clip;
  private final ChunkFrameFiles files;
  private final ClipFrames frames;
  private final ClipEncoder encoder;
  private final Path scratch;
  private final Map<Integer, Path> used = new HashMap<>();
  private long touchedAtNanos;

  OpenEncoding(
      Preset preset,
      int totalFrames,
      List<ChunkWindow> windows,
      ClipAssembler clip,
      FrameRateConverter fps,
      int frameBytes,
      int nativeWidth,
      int nativeHeight,
      Path scratch)
      throws IOException {
    this.preset = preset;
    this.totalFrames = totalFrames;
    this.windows = List.copyOf(windows);
    this.clip = clip;
    this.scratch = scratch;
    Files.createDirectories(scratch.getParent());
    this.files = new ChunkFrameFiles(Map.of(), frameBytes);
    this.frames = new ClipFrames(clip, files, nativeWidth, nativeHeight);
    this.encoder = new ClipEncoder(frames, fps, nativeWidth, nativeHeight, preset, scratch);
    touch();
  }

  /** Whether a task with this plan and these frames files can continue this encoding. */
  boolean continues(
      Preset preset, int totalFrames, List<ChunkWindow> windows, Map<Integer, Path> framesFiles) {
    if (!preset.equals(this.preset)
        || totalFrames != this.totalFrames
        || !windows.equals(this.windows)) return false;
    for (Map.Entry<Integer, Path> e : used.entrySet()) {
      if (!e.getValue().equals(framesFiles.get(e.getKey()))) return false;
    }
    return true;
  }

  /** Adds the frames files of newly finished chunks and encodes every output frame they settle. */
  int advance(Map<Integer, Path> framesFiles) throws IOException {
    touch();
    framesFiles.forEach(
        (chunk, file) -> {
          files.add(chunk, file);
          used.put(chunk, file);
        });
    int available = 0;
    List<ChunkWindow> inOrder = clip.chunksInOrder();
    while (available < inOrder.size() && used.containsKey(inOrder.get(available).chunkIndex()))
      available++;
    return encoder.encodeAvailable(clip.framesReadyWith(available));
  }

  ClipFrames frames() {
    return frames;
  }

  ClipEncoder encoder() {
    return encoder;
  }

  Path scratch() {
    return scratch;
  }

  long idleNanos() {
    return System.nanoTime() - touchedAtNanos;
  }

  private void touch() {
    touchedAtNanos = System.nanoTime();
  }

  /** Releases the encoder and the files and deletes the scratch file. */
  @Override
  public void close() throws IOException {
    try (files) {
      encoder.close();
    } finally {
      Files.deleteIfExists(scratch);
    }
  }
}
