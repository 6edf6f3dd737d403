package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.api.RenderView.ChunkView;
import dev.reelfarm.schema.api.RenderView.Links;
import dev.reelfarm.schema.api.RenderView.Timings;
import dev.reelfarm.schema.api.RenderView.Video;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Maps a job's rows to its API view: the wire type kept apart from the rows. */
final class RenderViews {

  /** Share of the job done: rendering is weighted 90 %, encoding the rest. */
  static double progress(JobRow job, List<ChunkRow> chunks) {
    if (JobStatus.valueOf(job.status()) == JobStatus.SUCCEEDED) return 1.0;
    double rendered = 0;
    for (ChunkRow c : chunks) {
      ChunkStatus status = ChunkStatus.valueOf(c.status());
      if (status == ChunkStatus.DONE) rendered += 1;
      else if (status == ChunkStatus.RUNNING && c.steps() > 0) rendered += (double) c.step() / c.steps();
    }
    double render = chunks.isEmpty() ? 0 : rendered / chunks.size();
    return Math.min(0.99, 0.9 * render + (JobStatus.valueOf(job.status()) == JobStatus.ENCODING ? 0.05 : 0));
  }

  static RenderView of(JobRow job, List<ChunkRow> chunks, int outputFps, Double eta) {
    double progress = progress(job, chunks);
    String base = "/api/v1/renders/" + job.id();
    Video video =
        job.videoUri() == null
            ? null
            : new Video(base + "/video", base + "/poster.jpg", job.videoSizeBytes(), job.videoDurationSeconds(), job.videoFrames());
    return new RenderView(
        job.id(), JobStatus.valueOf(job.status()), job.prompt(), job.negativePrompt(), job.durationSeconds(), job.preset(),
        Long.toString(job.seed()), job.steps(), job.guidanceScale(), job.priority(), RenderMode.find(job.mode()).orElseThrow(),
        job.modelName(), job.nativeFps(), job.totalFrames(), progress, eta,
        job.createdAt(), job.startedAt(), job.encodingStartedAt(), job.finishedAt(), timings(job), video, job.error(),
        chunks.stream().map(c -> chunk(job, c, outputFps)).toList(),
        new Links(base, base + "/video", base + "/poster.jpg", base + "/events"));
  }

  private static ChunkView chunk(JobRow job, ChunkRow c, int outputFps) {
    int nativeFps = job.nativeFps();
    String preview = c.previewUri() == null ? null : "/api/v1/renders/" + job.id() + "/chunks/" + c.index() + "/preview.png?step=" + c.step();
    return new ChunkView(
        c.index(), ChunkRole.valueOf(c.role()), ChunkStatus.valueOf(c.status()), c.attempt(), c.workerId(), c.step(), c.steps(), c.frames(),
        c.windowStart(), c.windowFrames(), c.ownedStart(), c.ownedEnd(), outputFrame(c.ownedStart(), nativeFps, outputFps),
        outputFrame(c.ownedEnd(), nativeFps, outputFps), c.dependsOn(), c.startedAt(), c.finishedAt(), c.textMs(), c.denoiseMs(),
        c.decodeMs(), preview, c.error());
  }

  /** Output frame at which native frame {@code nativeFrame} starts, at the preset's rate. */
  static int outputFrame(int nativeFrame, int nativeFps, int outputFps) {
    return (int) Math.round((double) nativeFrame * outputFps / nativeFps);
  }

  private static Timings timings(JobRow j) {
    return new Timings(
        between(j.createdAt(), j.startedAt()),
        between(j.startedAt(), j.encodingStartedAt()),
        between(j.encodingStartedAt(), JobStatus.valueOf(j.status()) == JobStatus.SUCCEEDED ? j.finishedAt() : null),
        between(j.createdAt(), j.finishedAt()));
  }

  private static Long between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }

  private RenderViews() {}
}
