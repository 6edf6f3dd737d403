package dev.reelfarm.schema.api;

import dev.reelfarm.schema.presets.Interpolation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as {@code GET /api/v1/renders/{id}} shows it. {@code seed} is a decimal string (64-bit
 * seeds do not survive JavaScript numbers); {@code preset} is the preset's id. {@code
 * waitingReason} says why the job's ready chunks cannot be placed on any live worker (no live
 * worker, all blocklisted for the job or quarantined); null when they can. {@code retryOf} is the
 * render this one retries (null: none); {@code versions} are the versions of its video, oldest
 * first ({@code video} is the latest delivered one). {@code interpolation} is how the encoder
 * reaches the preset's frame rate: the request's choice, else the preset's.
 */
public record RenderView(
    UUID id,
    JobStatus status,
    String prompt,
    String negativePrompt,
    double durationSeconds,
    String preset,
    String seed,
    int steps,
    double guidanceScale,
    int priority,
    RenderMode mode,
    Interpolation interpolation,
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
    Links links,
    String waitingReason,
    UUID retryOf,
    List<VideoVersion> versions) {

  /** Milliseconds spent queued, rendering, encoding and in total (null while unknown). */
  public record Timings(Long queuedMs, Long renderMs, Long encodeMs, Long totalMs) {}

  public record Video(
      String url, String posterUrl, long sizeBytes, double durationSeconds, int frames) {}

  public record Links(String self, String video, String poster, String events) {}

  /** A chunk, with its native frame range and its range in the output video at the preset's fps. */
  public record ChunkView(
      int index,
      ChunkRole role,
      ChunkStatus status,
      int attempt,
      String workerId,
      int step,
      int steps,
      List<Integer> frames,
      int windowStart,
      int windowFrames,
      int ownedStart,
      int ownedEnd,
      int outputFrameStart,
      int outputFrameEnd,
      List<Integer> dependsOn,
      Instant startedAt,
      Instant finishedAt,
      Long textMs,
      Long denoiseMs,
      Long decodeMs,
      String previewUrl,
      String error) {}
}
