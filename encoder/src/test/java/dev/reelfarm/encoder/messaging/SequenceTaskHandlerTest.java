package dev.reelfarm.encoder.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.encoder.SyntheticFrames;
import dev.reelfarm.mediaqa.Thumbnails;
import dev.reelfarm.mediaqa.Thumbnails.Thumbnail;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.EncodeTask.ChunkFrames;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.SequenceEvent;
import dev.reelfarm.schema.messages.SequenceTask;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sequences encoded with real FFmpeg from three synthetic shots (1 s, 1.5 s, 1 s of a moving
 * square, each tinted differently), compared frame by frame with each shot's own video.
 */
class SequenceTaskHandlerTest {
  /** Mean abs difference (8-bit levels, 40-px block means) allowed between two encodes. */
  static final double SAME_PICTURE = 2.0;

  @TempDir Path root;
  private FileArtifactStore store;
  private final List<SequenceEvent> reports = new ArrayList<>();
  private final List<JobEvent> clipEvents = new ArrayList<>();
  private final UUID batch = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
  private final List<EncodeTask> shots = new ArrayList<>();
  private final List<List<Thumbnail>> ownVideos = new ArrayList<>();

  @BeforeEach
  void threeShotsWithTheirOwnVideos() throws Exception {
    store = new FileArtifactStore(root);
    EncodeTaskHandler clips = new EncodeTaskHandler(store, "enc", clipEvents::add);
    int[] nativeFrames = {8, 12, 8};
    for (int k = 0; k < 3; k++) {
      UUID job = new UUID(0, k + 1);
      byte[] frames = tinted(SyntheticFrames.frames(4 * k, nativeFrames[k]), k);
      String uri = store.write("jobs/" + job + "/chunks/0/frames.rgb", frames);
      EncodeTask shot =
          new EncodeTask(
              EncodeTask.SCHEMA_VERSION,
              job,
              "tiktok",
              SyntheticFrames.WIDTH,
              SyntheticFrames.HEIGHT,
              8,
              nativeFrames[k],
              List.of(new ChunkFrames(0, uri, 0, nativeFrames[k], 0, nativeFrames[k])),
              ArtifactLayout.outputPrefix(job),
              true);
      shots.add(shot);
      clips.handle(shot);
      var encoded = (JobEvent.Encoded) clipEvents.get(clipEvents.size() - 1);
      ownVideos.add(Thumbnails.of(store.path(encoded.videoUri()), 40));
    }
  }

  /** Shot 0 as drawn, shot 1 inverted, shot 2 with its channels rotated. */
  private static byte[] tinted(byte[] rgb, int shot) {
    byte[] out = rgb.clone();
    for (int i = 0; i < out.length; i += 3) {
      if (shot == 1) {
        for (int c = 0; c < 3; c++) out[i + c] = (byte) (255 - (rgb[i + c] & 0xff));
      } else if (shot == 2) {
        out[i] = rgb[i + 2];
        out[i + 1] = rgb[i];
        out[i + 2] = rgb[i + 1];
      }
    }
    return out;
  }

  private SequenceTask task(String transition, int frames) {
    return new SequenceTask(
        SequenceTask.SCHEMA_VERSION,
        batch,
        "tiktok",
        transition,
        frames,
        ArtifactLayout.batchOutputPrefix(batch),
        shots);
  }

  private List<Thumbnail> encode(SequenceTask task) throws Exception {
    new SequenceTaskHandler(store, "enc", reports::add).handle(task);
    var encoded = (SequenceEvent.Encoded) reports.get(reports.size() - 1);
    Path video = store.path(encoded.videoUri());
    assertThat(VideoProbe.probe(video).frames()).isEqualTo(encoded.frames());
    return Thumbnails.of(video, 40);
  }

  @Test
  void aCutSequenceIsEveryShotsOwnVideoFramesInOrder() throws Exception {
    List<Thumbnail> sequence = encode(task("cut", 0));

    var encoded = (SequenceEvent.Encoded) reports.get(0);
    assertThat(ownVideos).extracting(List::size).containsExactly(30, 45, 30);
    assertThat(sequence).hasSize(105);
    assertThat(encoded.shotStartFrames()).containsExactly(0, 30, 75);
    assertThat(encoded.transitionFrames()).isZero();
    assertThat(encoded.videoUri())
        .isEqualTo(store.uri("batches/" + batch + "/output/tiktok.mp4").toString());
    double worst = 0;
    for (int k = 0; k < 3; k++) {
      for (int f = 0; f < ownVideos.get(k).size(); f++) {
        Thumbnail seq = sequence.get(encoded.shotStartFrames().get(k) + f);
        worst = Math.max(worst, Thumbnails.meanAbsDiff(seq, ownVideos.get(k).get(f)));
      }
    }
    System.out.printf("cut sequence: worst frame vs its shot's own video %.2f levels%n", worst);
    assertThat(worst).isLessThan(SAME_PICTURE);
    // the shots are told apart by far more than the encode noise
    assertThat(Thumbnails.meanAbsDiff(sequence.get(29), sequence.get(30))).isGreaterThan(40);
  }

  @Test
  void aDissolveMixesTheShotsOwnFramesOverItsLength() throws Exception {
    int d = 6;
    List<Thumbnail> sequence = encode(task("dissolve", d));

    var encoded = (SequenceEvent.Encoded) reports.get(0);
    assertThat(sequence).hasSize(105 - 2 * d);
    assertThat(encoded.shotStartFrames()).containsExactly(0, 24, 63);
    double worst = 0;
    for (int i = 0; i < sequence.size(); i++) {
      Thumbnail expected = null;
      for (int k = 2; k >= 0; k--) {
        int start = encoded.shotStartFrames().get(k);
        if (i < start) continue;
        int f = i - start;
        if (k > 0 && f < d) {
          double w = (f + 1) / (double) (d + 1);
          int prev = i - encoded.shotStartFrames().get(k - 1);
          expected = Thumbnails.mix(ownVideos.get(k - 1).get(prev), ownVideos.get(k).get(f), w);
        } else {
          expected = ownVideos.get(k).get(f);
        }
        break;
      }
      worst = Math.max(worst, Thumbnails.meanAbsDiff(sequence.get(i), expected));
    }
    System.out.printf("dissolve sequence: worst frame vs the plan's mix %.2f levels%n", worst);
    assertThat(worst).isLessThan(SAME_PICTURE);
  }

  @Test
  void aShotOfAnotherPresetIsPoison() {
    EncodeTask other = shots.get(1);
    shots.set(
        1,
        new EncodeTask(
            other.schemaVersion(),
            other.jobId(),
            "landscape",
            other.nativeWidth(),
            other.nativeHeight(),
            other.nativeFps(),
            other.totalFrames(),
            other.chunks(),
            other.artifactPrefix(),
            true));

    assertThatThrownBy(
            () -> new SequenceTaskHandler(store, "enc", reports::add).handle(task("cut", 0)))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("shot 1 is landscape");
  }

  @Test
  void aDissolveLongerThanAShotAllowsIsPoisonAndReportedAsFailed() {
    var handler = new SequenceTaskHandler(store, "enc", reports::add);
    SequenceTask tooLong = task("dissolve", 30);

    assertThatThrownBy(() -> handler.handle(tooLong))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("bad sequence");
    handler.giveUp(tooLong, new PoisonTaskException("bad sequence", null));
    assertThat(reports).singleElement().isInstanceOf(SequenceEvent.Failed.class);
  }
}
