package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.VideoVersions;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.api.RenderView.ChunkView;
import dev.reelfarm.schema.api.RenderView.Links;
import dev.reelfarm.schema.api.RenderView.Timings;
import dev.reelfarm.schema.api.RenderView.Video;
import dev.reelfarm.schema.api.VideoVersion;
import dev.reelfarm.schema.presets.Interpolation;
import dev.reelfarm.schema.presets.Preset;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Maps a job's rows to its API view: the wire type kept apart from the rows. */
final class RenderViews {

  /** Share of the job done: rendering is weighted 90 %, encoding the rest. */
  static double progress(JobRow job, List<ChunkRow> chunks) {
    if (job.status() == JobStatus.SUCCEEDED) return 1.0;
    double rendered = 0;
    for (ChunkRow c : chunks) {
      if (c.status() == ChunkStatus.DONE) rendered += 1;
      else if (c.status() == ChunkStatus.RUNNING && c.run().steps() > 0)
        rendered += (double) c.run().step() / c.run().steps();
    }
    double render = chunks.isEmpty() ? 0 : rendered / chunks.size();
    return Math.min(0.99, 0.9 * render + (job.status() == JobStatus.ENCODING ? 0.05 : 0));
  }

  /** The frame rate of the job's video: its preset's (the model's, for a preset now unknown). */
  static int outputFps(JobRow job) {
    return Preset.find(job.spec().preset()).map(Preset::fps).orElse(job.spec().nativeFps());
  }

  /** The request's interpolation, else its preset's (null for a preset now unknown). */
  static Interpolation interpolation(JobRow.Spec spec) {
    if (spec.interpolation() != null) return spec.interpolation();
    return Preset.find(spec.preset()).map(Preset::interpolation).orElse(null);
  }

  /** Where the job comes from ({@code retryOf}: null for none) and its video's versions. */
  record Lineage(UUID retryOf, List<VideoVersions.Row> versions) {
    static final Lineage NONE = new Lineage(null, List.of());
  }

  static RenderView of(
      JobRow job, List<ChunkRow> chunks, int outputFps, Double eta, Lineage lineage) {
    String base = "/api/v1/renders/" + job.id();
    JobRow.Spec spec = job.spec();
    JobRow.State state = job.state();
    JobRow.Result result = job.result();
    Video video =
        result.videoUri() == null
            ? null
            : new Video(
                base + "/video",
                base + "/poster.jpg",
                result.videoSizeBytes(),
                result.videoDurationSeconds(),
                result.videoFrames());
    return new RenderView(
        job.id(),
        state.status(),
        spec.prompt(),
        spec.negativePrompt(),
        spec.durationSeconds(),
        spec.preset(),
        Long.toString(spec.seed()),
        spec.steps(),
        spec.guidanceScale(),
        spec.priority(),
        spec.mode(),
        interpolation(spec),
        spec.modelName(),
        spec.nativeFps(),
        spec.totalFrames(),
        progress(job, chunks),
        eta,
        state.createdAt(),
        state.startedAt(),
        state.encodingStartedAt(),
        state.finishedAt(),
        timings(state),
        video,
        state.error(),
        chunks.stream().map(c -> chunk(job, c, outputFps)).toList(),
        new Links(base, base + "/video", base + "/poster.jpg", base + "/events"),
        state.waitingReason(),
        lineage.retryOf(),
        lineage.versions().stream().map(v -> version(base, v)).toList());
  }

  private static VideoVersion version(String base, VideoVersions.Row v) {
    return new VideoVersion(
        v.version(),
        v.chunk(),
        v.chunkSeed() == null ? null : Long.toString(v.chunkSeed()),
        v.videoUri() == null ? null : base + "/video?version=" + v.version(),
        v.sizeBytes(),
        v.durationSeconds(),
        v.frames(),
        v.createdAt(),
        v.finishedAt());
  }

  private static ChunkView chunk(JobRow job, ChunkRow c, int outputFps) {
    int nativeFps = job.spec().nativeFps();
    PlannedChunk p = c.plan();
    ChunkRow.Run run = c.run();
    ChunkRow.Result result = c.result();
    String preview =
        result.previewUri() == null
            ? null
            : "/api/v1/renders/"
                + job.id()
                + "/chunks/"
                + c.index()
                + "/preview.png?step="
                + run.step();
    return new ChunkView(
        c.index(),
        p.role(),
        run.status(),
        run.attempt(),
        run.workerId(),
        run.step(),
        run.steps(),
        p.frames(),
        p.windowStart(),
        p.windowFrames(),
        p.ownedStart(),
        p.ownedEnd(),
        outputFrame(p.ownedStart(), nativeFps, outputFps),
        outputFrame(p.ownedEnd(), nativeFps, outputFps),
        p.dependsOn(),
        run.startedAt(),
        run.finishedAt(),
        result.textMs(),
        result.denoiseMs(),
        result.decodeMs(),
        preview,
        run.error());
  }

  /** Output frame at which native frame {@code nativeFrame} starts, at the preset's rate. */
  static int outputFrame(int nativeFrame, int nativeFps, int outputFps) {
    return (int) Math.round((double) nativeFrame * outputFps / nativeFps);
  }

  private static Timings timings(JobRow.State s) {
    return new Timings(
        between(s.createdAt(), s.startedAt()),
        between(s.startedAt(), s.encodingStartedAt()),
        between(s.encodingStartedAt(), s.status() == JobStatus.SUCCEEDED ? s.finishedAt() : null),
        between(s.createdAt(), s.finishedAt()));
  }

  private static Long between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }

  private RenderViews() {}
}
