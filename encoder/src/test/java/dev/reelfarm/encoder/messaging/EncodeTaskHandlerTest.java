package dev.reelfarm.encoder.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.encoder.SyntheticFrames;
import dev.reelfarm.mediaqa.VideoInfo;
import dev.reelfarm.mediaqa.VideoProbe;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.FileArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.EncodeTask.ChunkFrames;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodeTaskHandlerTest {
  @TempDir Path root;
  private FileArtifactStore store;
  private final List<JobEvent> events = new ArrayList<>();
  private EncodeTaskHandler handler;
  private final UUID jobId = UUID.fromString("00000000-0000-0000-0000-00000000002a");

  @BeforeEach
  void setUp() {
    store = new FileArtifactStore(root);
    handler = new EncodeTaskHandler(store, "encoder-test", events::add);
  }

  /** Two 2-second chunks as a sequential plan writes them: chunk 1 re-renders 4 context frames. */
  private EncodeTask twoChunkTask(String preset) {
    String f0 =
        store.write("jobs/" + jobId + "/chunks/0/frames.rgb", SyntheticFrames.frames(0, 16));
    String f1 =
        store.write("jobs/" + jobId + "/chunks/1/frames.rgb", SyntheticFrames.frames(12, 20));
    return task(
        preset,
        32,
        List.of(new ChunkFrames(0, f0, 0, 16, 0, 16), new ChunkFrames(1, f1, 12, 20, 16, 32)));
  }

  /** A task as the orchestrator sends it: the output goes to the job's standard output prefix. */
  private EncodeTask task(String preset, int totalFrames, List<ChunkFrames> chunks) {
    return withPrefix(ArtifactLayout.outputPrefix(jobId), preset, totalFrames, chunks);
  }

  private EncodeTask withPrefix(
      String artifactPrefix, String preset, int totalFrames, List<ChunkFrames> chunks) {
    return new EncodeTask(
        EncodeTask.SCHEMA_VERSION,
        jobId,
        preset,
        SyntheticFrames.WIDTH,
        SyntheticFrames.HEIGHT,
        8,
        totalFrames,
        chunks,
        artifactPrefix,
        chunks.stream().allMatch(c -> c.framesUri() != null));
  }

  @Test
  void aCopyOfAnEncodedTaskIsReportedAgainWithoutEncodingAgain() throws Exception {
    EncodeTask task = twoChunkTask("tiktok");
    handler.handle(task);
    JobEvent.Encoded first = (JobEvent.Encoded) events.get(events.size() - 1);
    Path video = store.path(first.videoUri());
    var writtenAt = Files.getLastModifiedTime(video);
    Thread.sleep(20); // a rewrite would show in the modification time

    handler.handle(task); // the orchestrator sent it again while the encoder was away

    assertThat(events).hasSize(3); // ENCODING, ENCODED, and the copy's ENCODED only
    JobEvent.Encoded again = (JobEvent.Encoded) events.get(2);
    assertThat(again.videoUri()).isEqualTo(first.videoUri());
    assertThat(again.sizeBytes()).isEqualTo(first.sizeBytes());
    assertThat(again.encodeMs()).isEqualTo(first.encodeMs());
    assertThat(Files.getLastModifiedTime(video)).isEqualTo(writtenAt);
  }

  @Test
  void aCopyOfAnEncodedTaskWhoseVideoIsGoneIsEncodedAgain() throws Exception {
    EncodeTask task = twoChunkTask("tiktok");
    handler.handle(task);
    JobEvent.Encoded first = (JobEvent.Encoded) events.get(events.size() - 1);
    Files.delete(store.path(first.videoUri()));

    handler.handle(task);

    assertThat(events).hasSize(4).element(2).isInstanceOf(JobEvent.Encoding.class);
    assertThat(store.path(first.videoUri())).isRegularFile();
  }

  @Test
  void encodedJobHasItsVideoAndPosterOnTheStoreAndReportsThem() throws Exception {
    handler.handle(twoChunkTask("tiktok"));

    assertThat(events).hasExactlyElementsOfTypes(JobEvent.Encoding.class, JobEvent.Encoded.class);
    var done = (JobEvent.Encoded) events.get(1);
    assertThat(done.jobId()).isEqualTo(jobId);
    assertThat(done.videoUri())
        .isEqualTo(store.uri("jobs/" + jobId + "/output/tiktok.mp4").toString());
    assertThat(done.posterUri())
        .isEqualTo(store.uri("jobs/" + jobId + "/output/poster.jpg").toString());
    assertThat(done.frames()).isEqualTo(120);
    assertThat(done.durationSeconds()).isEqualTo(4.0);

    Path video = store.path(done.videoUri());
    VideoInfo info = VideoProbe.probe(video);
    assertThat(info.frames()).isEqualTo(120);
    assertThat(info.width()).isEqualTo(1080);
    assertThat(info.height()).isEqualTo(1920);
    assertThat(info.durationSeconds()).isCloseTo(done.durationSeconds(), within(0.01));
    assertThat(done.sizeBytes()).isEqualTo(Files.size(video));
    var poster = ImageIO.read(store.path(done.posterUri()).toFile());
    assertThat(poster.getWidth()).isEqualTo(1080);
    assertThat(poster.getHeight()).isEqualTo(1920);
    try (Stream<Path> files = Files.list(video.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("tiktok.mp4", "poster.jpg");
    }
  }

  @Test
  void theVideoAndPosterGoUnderTheTasksArtifactPrefix() throws Exception {
    EncodeTask standard = twoChunkTask("tiktok");
    handler.handle(withPrefix("teams/t1/renders/" + jobId, "tiktok", 32, standard.chunks()));

    JobEvent.Encoded done = (JobEvent.Encoded) events.get(1);
    assertThat(done.videoUri())
        .isEqualTo(store.uri("teams/t1/renders/" + jobId + "/tiktok.mp4").toString());
    assertThat(done.posterUri())
        .isEqualTo(store.uri("teams/t1/renders/" + jobId + "/poster.jpg").toString());
    assertThat(VideoProbe.probe(store.path(done.videoUri())).frames()).isEqualTo(120);
    assertThat(root.resolve(ArtifactLayout.outputPrefix(jobId))).doesNotExist();
  }

  @Test
  void aTaskWithoutAPrefixFromAnOlderOrchestratorGetsTheStandardLayout() throws Exception {
    EncodeTask standard = twoChunkTask("tiktok");
    handler.handle(withPrefix(null, "tiktok", 32, standard.chunks()));

    assertThat(((JobEvent.Encoded) events.get(1)).videoUri())
        .isEqualTo(store.uri("jobs/" + jobId + "/output/tiktok.mp4").toString());
  }

  @Test
  void aPrefixOutsideTheArtifactStoreIsPoison() {
    EncodeTask standard = twoChunkTask("tiktok");
    assertThatThrownBy(
            () -> handler.handle(withPrefix("../../elsewhere", "tiktok", 32, standard.chunks())))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("artifactPrefix")
        .hasMessageContaining("outside the store");
    assertThat(events).isEmpty();
  }

  @Test
  void chunksStitchedAtTheirOwnedRangesGiveTheSameFramesAsOneUncutChunk() throws Exception {
    handler.handle(twoChunkTask("landscape"));
    Path video = store.path(((JobEvent.Encoded) events.get(1)).videoUri());
    List<String> stitched = VideoProbe.frameHashes(video);

    // The same job redelivered with a one-chunk plan of the same frames: the output is replaced.
    String whole =
        store.write("jobs/" + jobId + "/chunks/all/frames.rgb", SyntheticFrames.frames(0, 32));
    handler.handle(task("landscape", 32, List.of(new ChunkFrames(0, whole, 0, 32, 0, 32))));

    assertThat(events)
        .hasExactlyElementsOfTypes(
            JobEvent.Encoding.class,
            JobEvent.Encoded.class,
            JobEvent.Encoding.class,
            JobEvent.Encoded.class);
    assertThat(VideoProbe.frameHashes(video)).hasSize(120).isEqualTo(stitched);
  }

  /** The two-chunk task as the orchestrator sends it while chunk 1 still renders. */
  private static EncodeTask withoutLastChunk(EncodeTask complete) {
    List<ChunkFrames> chunks = new ArrayList<>(complete.chunks());
    ChunkFrames last = chunks.remove(chunks.size() - 1);
    chunks.add(
        new ChunkFrames(
            last.chunkIndex(),
            null,
            last.windowStart(),
            last.windowFrames(),
            last.ownedStart(),
            last.ownedEnd()));
    return new EncodeTask(
        complete.schemaVersion(),
        complete.jobId(),
        complete.preset(),
        complete.nativeWidth(),
        complete.nativeHeight(),
        complete.nativeFps(),
        complete.totalFrames(),
        chunks,
        complete.artifactPrefix(),
        false);
  }

  @Test
  void encodingAheadOnAPartialTaskThenFinishingGivesTheSameClipAsOneGo() throws Exception {
    EncodeTask complete = twoChunkTask("tiktok");
    handler.handle(complete);
    List<String> inOneGo =
        VideoProbe.frameHashes(store.path(((JobEvent.Encoded) events.get(1)).videoUri()));
    events.clear();

    handler.handle(withoutLastChunk(complete));
    assertThat(events).as("partial tasks report nothing").isEmpty();
    Path scratch = root.resolve("jobs/" + jobId + "/output/.encoding-encoder-test-tiktok.mp4");
    assertThat(scratch).as("the open encoding's file").exists();
    handler.handle(complete);

    assertThat(events).hasExactlyElementsOfTypes(JobEvent.Encoding.class, JobEvent.Encoded.class);
    assertThat(VideoProbe.frameHashes(store.path(((JobEvent.Encoded) events.get(1)).videoUri())))
        .hasSize(120)
        .isEqualTo(inOneGo);
    assertThat(scratch).doesNotExist();
  }

  @Test
  void aCompleteTaskWithOtherFramesThanThoseEncodedAheadStartsOver() throws Exception {
    EncodeTask first = twoChunkTask("tiktok");
    handler.handle(withoutLastChunk(first));
    // Chunk 0 re-rendered into another file with other pictures (e.g. after a crash and a retry).
    String rerun =
        store.write(
            "jobs/" + jobId + "/chunks/0/rerun/frames.rgb", SyntheticFrames.frames(100, 16));
    List<ChunkFrames> chunks = new ArrayList<>(first.chunks());
    ChunkFrames c0 = chunks.get(0);
    chunks.set(
        0,
        new ChunkFrames(
            0, rerun, c0.windowStart(), c0.windowFrames(), c0.ownedStart(), c0.ownedEnd()));
    handler.handle(task("tiktok", 32, chunks));
    List<String> continued =
        VideoProbe.frameHashes(store.path(((JobEvent.Encoded) events.get(1)).videoUri()));

    // A fresh encoding of the same task: another encoder's (this one reports its copy again).
    new EncodeTaskHandler(store, "encoder-test", events::add).handle(task("tiktok", 32, chunks));
    assertThat(VideoProbe.frameHashes(store.path(((JobEvent.Encoded) events.get(3)).videoUri())))
        .isEqualTo(continued);
  }

  @Test
  void aBrokenPartialTaskReportsNothingAndTheCompleteTaskStillEncodes() throws Exception {
    EncodeTask complete = twoChunkTask("tiktok");
    Path chunk0 = store.path(complete.chunks().get(0).framesUri());
    byte[] frames = Files.readAllBytes(chunk0);
    Files.write(chunk0, new byte[10]); // truncated while the partial task is handled

    handler.handle(withoutLastChunk(complete));
    assertThat(events).isEmpty();
    Files.write(chunk0, frames);
    handler.handle(complete);

    assertThat(events).hasExactlyElementsOfTypes(JobEvent.Encoding.class, JobEvent.Encoded.class);
    assertThat(VideoProbe.probe(store.path(((JobEvent.Encoded) events.get(1)).videoUri())).frames())
        .isEqualTo(120);
  }

  @Test
  void aMissingFramesFileIsPoisonAndReportedAsFailedNamingTheChunk() throws IOException {
    EncodeTask task = twoChunkTask("tiktok");
    Files.delete(store.path(task.chunks().get(1).framesUri()));

    Throwable thrown = catchThrowable(() -> handler.handle(task));
    assertThat(thrown)
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("chunk 1")
        .hasMessageContaining("missing");
    handler.giveUp(task, (Exception) thrown); // what LongTaskConsumer does with poison
    assertThat(events).hasExactlyElementsOfTypes(JobEvent.Failed.class);
    assertThat(((JobEvent.Failed) events.get(0)).error()).contains("chunk 1");
    assertThat(events.get(0).jobId()).isEqualTo(jobId);
    assertThat(Files.exists(store.root().resolve("jobs/" + jobId + "/output/tiktok.mp4")))
        .isFalse();
  }

  @Test
  void aTruncatedFramesFileIsPoison() {
    String f0 =
        store.write("jobs/" + jobId + "/chunks/0/frames.rgb", SyntheticFrames.frames(0, 15));
    EncodeTask task = task("tiktok", 16, List.of(new ChunkFrames(0, f0, 0, 16, 0, 16)));
    assertThatThrownBy(() -> handler.handle(task))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("chunk 0")
        .hasMessageContaining("expected");
  }

  @Test
  void aPlanWithAGapIsPoisonNamingTheChunk() {
    EncodeTask good = twoChunkTask("tiktok");
    ChunkFrames c1 = good.chunks().get(1);
    EncodeTask gap =
        task(
            "tiktok",
            32,
            List.of(good.chunks().get(0), new ChunkFrames(1, c1.framesUri(), 12, 20, 17, 32)));
    assertThatThrownBy(() -> handler.handle(gap))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("gap")
        .hasMessageContaining("chunk 1");
  }

  @Test
  void anUnknownPresetIsPoisonListingTheValidOnes() {
    assertThatThrownBy(() -> handler.handle(twoChunkTask("vimeo")))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("tiktok, shorts, reels, landscape");
  }

  @Test
  void framesOutsideTheArtifactStoreArePoison() {
    EncodeTask task =
        task(
            "tiktok",
            16,
            List.of(new ChunkFrames(0, Path.of("/etc/passwd").toUri().toString(), 0, 16, 0, 16)));
    assertThatThrownBy(() -> handler.handle(task))
        .isInstanceOf(PoisonTaskException.class)
        .hasMessageContaining("outside the store");
  }
}
