package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.JobRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The API's view of a job: wire type kept apart from the row. */
public record RenderView(
    UUID id,
    String status,
    String prompt,
    String negativePrompt,
    double durationSeconds,
    String preset,
    String seed,
    int steps,
    double guidanceScale,
    int priority,
    String mode,
    String model,
    int nativeFps,
    int totalFrames,
    double progress,
    Double etaSeconds,
    Instant createdAt,
    Instant startedAt,
    Instant encodingStartedAt,
    Instant finishedAt,
    Timings timings,
    Video video,
    String error,
    List<ChunkView> chunks,
    Map<String, String> links) {

  /** Milliseconds spent queued, rendering, encoding and in total (null while unknown). */
  public record Timings(Long queuedMs, Long renderMs, Long encodeMs, Long totalMs) {}

  public record Video(String url, String posterUrl, long sizeBytes, double durationSeconds, int frames) {}

  /** A chunk, with its native frame range and its range in the output video at the preset's fps. */
  public record ChunkView(
      int index, String role, String status, int attempt, String workerId, int step, int steps, List<Integer> frames, int windowStart, int windowFrames,
      int ownedStart, int ownedEnd, int outputFrameStart, int outputFrameEnd, List<Integer> dependsOn, Instant startedAt,
      Instant finishedAt, Long textMs, Long denoiseMs, Long decodeMs, String previewUrl, String error) {}

  /** Share of the job done: rendering is weighted 90 %, encoding the rest. */
  static double progress(JobRow job, List<ChunkRow> chunks) {
    if (job.status().equals("SUCCEEDED")) return 1.0;
    double rendered = 0;
    for (ChunkRow c : chunks) {
      if (c.status().equals("DONE")) rendered += 1;
      else if (c.status().equals("RUNNING") && c.steps() > 0) rendered += (double) c.step() / c.steps();
    }
    double render = chunks.isEmpty() ? 0 : rendered / chunks.size();
    return Math.min(0.99, 0.9 * render + (job.status().equals("ENCODING") ? 0.05 : 0));
  }

  static RenderView of(JobRow job, List<ChunkRow> chunks, int outputFps, Double eta) {
    double progress = progress(job, chunks);
    String base = "/api/v1/renders/" + job.id();
    Video video =
        job.videoUri() == null
            ? null
            : new Video(base + "/video", base + "/poster.jpg", job.videoSizeBytes(), job.videoDurationSeconds(), job.videoFrames());
    return new RenderView(
        job.id(), job.status(), job.prompt(), job.negativePrompt(), job.durationSeconds(), job.preset(), Long.toString(job.seed()),
        job.steps(), job.guidanceScale(), job.priority(), job.mode(), job.modelName(), job.nativeFps(), job.totalFrames(), progress, eta,
        job.createdAt(), job.startedAt(), job.encodingStartedAt(), job.finishedAt(), timings(job), video, job.error(),
        chunks.stream().map(c -> chunk(job, c, outputFps)).toList(),
        Map.of("self", base, "video", base + "/video", "poster", base + "/poster.jpg", "events", base + "/events"));
  }

  private static ChunkView chunk(JobRow job, ChunkRow c, int outputFps) {
    int nativeFps = job.nativeFps();
    String preview = c.previewUri() == null ? null : "/api/v1/renders/" + job.id() + "/chunks/" + c.index() + "/preview.png?step=" + c.step();
    return new ChunkView(
        c.index(), c.role(), c.status(), c.attempt(), c.workerId(), c.step(), c.steps(), c.frames(), c.windowStart(), c.windowFrames(), c.ownedStart(),
        c.ownedEnd(), outputFrame(c.ownedStart(), nativeFps, outputFps), outputFrame(c.ownedEnd(), nativeFps, outputFps),
        c.dependsOn(), c.startedAt(), c.finishedAt(), c.textMs(), c.denoiseMs(), c.decodeMs(), preview, c.error());
  }

  /** Output frame at which native frame {@code nativeFrame} starts, at the preset's rate. */
  static int outputFrame(int nativeFrame, int nativeFps, int outputFps) {
    return (int) Math.round((double) nativeFrame * outputFps / nativeFps);
  }

  private static Timings timings(JobRow j) {
    return new Timings(
        between(j.createdAt(), j.startedAt()),
        between(j.startedAt(), j.encodingStartedAt()),
        between(j.encodingStartedAt(), j.status().equals("SUCCEEDED") ? j.finishedAt() : null),
        between(j.createdAt(), j.finishedAt()));
  }

  private static Long between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }
}
