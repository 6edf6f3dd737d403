package dev.reelfarm.encoder.media;

import dev.reelfarm.encoder.stitching.ClipAssembler;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.encoder.stitching.FrameMixer;
import dev.reelfarm.encoder.stitching.FrameRateConverter;
import dev.reelfarm.encoder.stitching.SequencePlan;
import dev.reelfarm.schema.presets.Preset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Encodes shots one after another into one MP4, as {@link SequencePlan} places them: each shot's
 * output frames come from its own stitching and frame rate conversion ({@link ClipPictures}, what
 * its own video is made of), a dissolve mixes two shots' native-size frames before the upscale, and
 * every sequence frame goes through the one {@link Mp4Encoder} of the preset. A shot's frames files
 * are open only while the sequence shows it.
 */
public final class SequenceEncoder {

  /** One shot: its chunks' stitching, their frames files, and its rate conversion. */
  public record Shot(ClipAssembler clip, Map<Integer, Path> frameFiles, FrameRateConverter fps) {}

  /**
   * Writes the sequence to {@code video} (complete only when this returns normally).
   *
   * @throws IllegalArgumentException a shot's frame count or rate differs from the plan's or the
   *     preset's
   */
  public static ClipEncoder.Result encode(
      List<Shot> shots,
      SequencePlan plan,
      Preset preset,
      int nativeWidth,
      int nativeHeight,
      Path video)
      throws IOException {
    if (shots.size() != plan.shots())
      throw new IllegalArgumentException(shots.size() + " shots, the plan has " + plan.shots());
    for (int k = 0; k < shots.size(); k++) {
      FrameRateConverter fps = shots.get(k).fps();
      if (fps.outputFps() != preset.fps() || fps.outputFrames() != plan.end(k) - plan.start(k))
        throw new IllegalArgumentException(
            "shot " + k + ": " + fps.outputFrames() + " frames at " + fps.outputFps() + " fps");
    }
    int frameBytes = Math.multiplyExact(Math.multiplyExact(nativeWidth, nativeHeight), 3);
    byte[] mixed = new byte[frameBytes];
    OpenShot[] open = new OpenShot[shots.size()];
    long start = System.nanoTime();
    try (Mp4Encoder mp4 = new Mp4Encoder(video, preset, nativeWidth, nativeHeight)) {
      for (int i = 0; i < plan.totalFrames(); i++) {
        List<SequencePlan.Source> sources = plan.frame(i);
        byte[] picture = null;
        for (SequencePlan.Source s : sources) {
          if (open[s.shot()] == null)
            open[s.shot()] = new OpenShot(shots.get(s.shot()), nativeWidth, nativeHeight);
          byte[] frame = open[s.shot()].pictures.outputFrame(s.frame());
          if (picture == null) {
            picture = frame;
          } else {
            FrameMixer.mix(picture, frame, s.weight(), mixed);
            picture = mixed;
          }
        }
        mp4.write(picture);
        for (int k = 0; k < open.length; k++) {
          if (open[k] != null && plan.end(k) <= i + 1) {
            open[k].close();
            open[k] = null;
          }
        }
      }
      mp4.finish();
    } finally {
      for (OpenShot shot : open) if (shot != null) shot.close();
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    return new ClipEncoder.Result(
        plan.totalFrames(), plan.totalFrames() / (double) preset.fps(), ms);
  }

  /** A shot being shown: its frames files and pictures, closed together. */
  private static final class OpenShot implements AutoCloseable {
    private final ChunkFrameFiles files;
    private final ClipPictures pictures;

    OpenShot(Shot shot, int width, int height) throws IOException {
      this.files = new ChunkFrameFiles(shot.frameFiles(), width * height * 3);
      try {
        this.pictures =
            new ClipPictures(
                new ClipFrames(shot.clip(), files, width, height), shot.fps(), width, height);
      } catch (IOException | RuntimeException e) {
        files.close();
        throw e;
      }
    }

    @Override
    public void close() throws IOException {
      try (files) {
        pictures.close();
      }
    }
  }

  private SequenceEncoder() {}
}
