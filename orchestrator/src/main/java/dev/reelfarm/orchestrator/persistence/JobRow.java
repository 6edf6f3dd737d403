package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.bundle.BundleRef;
import dev.reelfarm.schema.presets.Interpolation;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code render_job}: whose it is ({@code teamId}), what was asked, where the job stands,
 * and what it produced.
 */
public record JobRow(UUID id, UUID teamId, Spec spec, State state, Result result) {

  /**
   * What was asked, with the model and plan it was fixed to at submission. Never changes, but for
   * the seed, which a storyboard reroll replaces, and {@code priority} while the job is open
   * ({@code PATCH}). {@code interpolation} null: the preset's. {@code modelVersion} and {@code
   * modelChecksum} identify the bundle the job was planned with (null for jobs from before the farm
   * knew them).
   */
  public record Spec(
      String prompt,
      String negativePrompt,
      double durationSeconds,
      String preset,
      long seed,
      int steps,
      double guidanceScale,
      int priority,
      RenderMode mode,
      String modelName,
      int nativeFps,
      int nativeWidth,
      int nativeHeight,
      int totalFrames,
      Interpolation interpolation,
      String modelVersion,
      String modelChecksum) {

    /** A spec whose bundle is known by name only. */
    public Spec(
        String prompt,
        String negativePrompt,
        double durationSeconds,
        String preset,
        long seed,
        int steps,
        double guidanceScale,
        int priority,
        RenderMode mode,
        String modelName,
        int nativeFps,
        int nativeWidth,
        int nativeHeight,
        int totalFrames,
        Interpolation interpolation) {
      this(
          prompt,
          negativePrompt,
          durationSeconds,
          preset,
          seed,
          steps,
          guidanceScale,
          priority,
          mode,
          modelName,
          nativeFps,
          nativeWidth,
          nativeHeight,
          totalFrames,
          interpolation,
          null,
          null);
    }

    /** The bundle this job's chunks must render with. */
    public BundleRef model() {
      return new BundleRef(modelName, modelChecksum);
    }
  }

  /**
   * The job's state and when it entered each; {@code error} says why it failed or was cancelled,
   * {@code waitingReason} why its ready chunks cannot be placed on any live worker (null: they
   * can).
   */
  public record State(
      JobStatus status,
      Instant createdAt,
      Instant startedAt,
      Instant encodingStartedAt,
      Instant finishedAt,
      String error,
      String waitingReason) {

    /** A job just submitted (the database stamps its creation time). */
    public static State queued() {
      return new State(JobStatus.QUEUED, null, null, null, null, null, null);
    }
  }

  /**
   * The latest finished video; every field but {@code version} is null until the encoder has
   * delivered the first. {@code version} is the version being encoded or last delivered (1, then
   * one more for each chunk re-render).
   */
  public record Result(
      String videoUri,
      String posterUri,
      Long videoSizeBytes,
      Double videoDurationSeconds,
      Integer videoFrames,
      Long encodeMs,
      int version) {

    public static final Result NONE = new Result(null, null, null, null, null, null);

    /** A result of the first version. */
    public Result(
        String videoUri,
        String posterUri,
        Long videoSizeBytes,
        Double videoDurationSeconds,
        Integer videoFrames,
        Long encodeMs) {
      this(videoUri, posterUri, videoSizeBytes, videoDurationSeconds, videoFrames, encodeMs, 1);
    }
  }

  public JobStatus status() {
    return state.status();
  }

  public boolean isFinal() {
    return state.status().isFinal();
  }
}
