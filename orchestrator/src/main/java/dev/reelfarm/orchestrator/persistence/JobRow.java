package dev.reelfarm.orchestrator.persistence;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code render_job}. */
public record JobRow(
    UUID id,
    String status,
    String prompt,
    String negativePrompt,
    double durationSeconds,
    String preset,
    long seed,
    int steps,
    double guidanceScale,
    int priority,
    String mode,
    String modelName,
    int nativeFps,
    int nativeWidth,
    int nativeHeight,
    int totalFrames,
    Instant createdAt,
    Instant startedAt,
    Instant encodingStartedAt,
    Instant finishedAt,
    String videoUri,
    String posterUri,
    Long videoSizeBytes,
    Double videoDurationSeconds,
    Integer videoFrames,
    Long encodeMs,
    String error) {

  public boolean isFinal() {
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
  }
}
