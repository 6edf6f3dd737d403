package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A page of {@code GET /api/v1/feedback}, oldest change first; {@code next} (absent on the last
 * page) is the {@code after} cursor of the following page.
 */
@Schema(description = "A page of the feedback export, oldest change first.")
public record FeedbackPage(
    @Schema(required = true) List<FeedbackRecord> items,
    @Schema(description = "The `after` of the next page; absent on the last")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String next) {}
