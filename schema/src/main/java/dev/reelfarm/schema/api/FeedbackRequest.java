package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/renders/{id}/feedback}: how good the render is, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A rating of a finished render (one per API key: a second one replaces it).")
public record FeedbackRequest(
    @Schema(required = true, minimum = "1", maximum = "5", description = "1 (bad) to 5 (great)")
        Integer rating,
    @Schema(
            description =
                "Up to 10 tags, each 1-32 characters of a-z, 0-9, '-' and '_' starting with a"
                    + " letter or digit, e.g. visible-seams, wrong-motion, matches-prompt",
            maxItems = 10)
        List<String> tags,
    @Schema(description = "Free text, at most 2000 characters", maxLength = 2000) String comment) {}
