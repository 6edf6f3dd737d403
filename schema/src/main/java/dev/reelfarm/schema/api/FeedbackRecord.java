package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One feedback with what a training recipe needs of its render: the request (prompt, seed,
 * parameters), the model and where the video is. {@code reelfarm feedback export} writes one per
 * line (JSON Lines); {@code models/training/feedback.py} reads them.
 */
@Schema(description = "A feedback with its render's request, model and video: one dataset row.")
public record FeedbackRecord(
    @Schema(required = true) UUID feedbackId,
    @Schema(required = true) UUID renderId,
    @Schema(required = true, description = "The render's team", examples = "marketing") String team,
    @Schema(required = true) String prompt,
    @Schema(required = true, description = "Empty when none was given") String negativePrompt,
    @Schema(required = true) long seed,
    @Schema(required = true) Parameters parameters,
    @Schema(required = true) Model model,
    @Schema(required = true, minimum = "1", maximum = "5") int rating,
    @Schema(required = true) List<String> tags,
    @Schema(required = true) String comment,
    @Schema(required = true) Video video,
    @Schema(required = true) Instant createdAt,
    @Schema(required = true, description = "The export's order and `since` go by this")
        Instant updatedAt) {

  /** How the render was asked for, beyond its prompt and seed. */
  @Schema(name = "FeedbackParameters", description = "The render's request and native format.")
  public record Parameters(
      @Schema(required = true) double durationSeconds,
      @Schema(required = true, examples = "tiktok") String preset,
      @Schema(required = true) int steps,
      @Schema(required = true) double guidanceScale,
      @Schema(required = true) RenderMode mode,
      @Schema(nullable = true, description = "null: the preset's", examples = "motion")
          String interpolation,
      @Schema(required = true) int nativeFps,
      @Schema(required = true) int nativeWidth,
      @Schema(required = true) int nativeHeight) {}

  /**
   * The model that rendered it. {@code version} and {@code checksum} are the farm's bundle's when
   * the feedback was given, if that bundle has the render's model name; null otherwise.
   */
  @Schema(name = "FeedbackModel", description = "The render's model bundle.")
  public record Model(
      @Schema(required = true, examples = "tiny-shapes") String name,
      @Schema(nullable = true, examples = "step41000") String version,
      @Schema(nullable = true, description = "BundleChecksum: sha256 over the bundle's files")
          String checksum) {}

  /** Where the video is: the artifact store's location and the API path that serves it. */
  @Schema(name = "FeedbackVideo", description = "Where the render's video is.")
  public record Video(
      @Schema(
              nullable = true,
              description = "The artifact store's location (file:// or s3://); null once removed")
          String uri,
      @Schema(
              required = true,
              examples = "/api/v1/renders/7e3b8f0a-5c1d-4e0b-9a57-3d2f1c0b9e44/video")
          String path,
      @Schema(nullable = true) Integer frames,
      @Schema(nullable = true) Double durationSeconds) {}
}
