package dev.reelfarm.schema.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An anchored render's keyframes as its anchor pass rendered them ({@code GET
 * /api/v1/renders/{id}/storyboard}): one per infill boundary inside the clip, each a PNG at the
 * model's native size. For a render with a review, also which round of the anchor pass this is and
 * since when it waits for approval.
 */
@Schema(description = "The keyframes of an anchored render's anchor pass, as a storyboard.")
public record StoryboardView(
    @Schema(required = true) UUID id,
    @Schema(required = true) JobStatus status,
    @Schema(nullable = true, description = "The render's review; null: it waits for none")
        ReviewMode review,
    @Schema(
            nullable = true,
            description = "The anchor pass shown: 1, then one more per reroll (null: no review)")
        Integer round,
    @Schema(required = true, description = "The seed the keyframes were rendered with (decimal)")
        String seed,
    @Schema(
            nullable = true,
            description = "Since when this storyboard waits for approval (null: it does not)")
        Instant awaitingSince,
    @Schema(required = true, description = "Width of every keyframe image, in pixels") int width,
    @Schema(required = true, description = "Height of every keyframe image, in pixels") int height,
    @Schema(required = true) List<Keyframe> keyframes) {

  /** Keyframe {@code index} of the storyboard: native frame {@code frame} of the clip. */
  @Schema(description = "One keyframe: where it lies in the clip and its image.")
  public record Keyframe(
      @Schema(required = true, description = "Its place in the storyboard (0, 1, ...)") int index,
      @Schema(required = true, description = "The clip's native frame it is") int frame,
      @Schema(required = true, description = "Its time in the clip, in seconds") double timeSeconds,
      @Schema(required = true, description = "The anchor chunk that rendered it") int chunk,
      @Schema(
              required = true,
              description = "Its PNG",
              examples = "/api/v1/renders/…/storyboard/0.png")
          String url) {}
}
