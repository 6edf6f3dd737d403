package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A batch as {@code GET /api/v1/batches/{id}} shows it: its aggregated status (see {@link
 * BatchStatus}), how many of its shots are in each render status, every shot in order, and for a
 * sequence its encode and the plan it followed.
 *
 * @param finishedAt when the batch reached its final status (null before)
 */
public record BatchView(
    UUID id,
    BatchStatus status,
    BatchDelivery deliver,
    @JsonInclude(JsonInclude.Include.NON_NULL) ShotTransition transition,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double transitionSeconds,
    Map<JobStatus, Integer> counts,
    List<Shot> shots,
    @JsonInclude(JsonInclude.Include.NON_NULL) Sequence sequence,
    Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant finishedAt,
    Links links) {

  /** One shot: its render ({@code id}) and what it asked for. {@code seed} is a decimal string. */
  public record Shot(
      int index,
      UUID id,
      JobStatus status,
      String prompt,
      double durationSeconds,
      String preset,
      String seed,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer frames,
      String url) {}

  /**
   * The sequence's encode; the video's fields once it SUCCEEDED. {@code shotStartFrames}: the first
   * frame of each shot in the sequence video (a dissolve into shot k starts there and lasts {@code
   * transitionFrames}); {@code frames} = the shots' frames − (shots − 1) · transitionFrames.
   */
  public record Sequence(
      SequenceStatus status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String videoUrl,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeBytes,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer frames,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double durationSeconds,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long encodeMs,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> shotStartFrames,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer transitionFrames,
      @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}

  /** {@code video}: the sequence's MP4 (a sequence batch only). */
  public record Links(String self, @JsonInclude(JsonInclude.Include.NON_NULL) String video) {}
}
