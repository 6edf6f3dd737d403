package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/batches}: shared {@code defaults} and either a list of {@code
 * shots} (each overriding the defaults) or {@code variants} (that many renders of the defaults'
 * prompt, with consecutive seeds from the defaults' seed, or random ones). {@code deliver:
 * "sequence"} also encodes the shots in order into one MP4; its shots share one preset.
 *
 * @param transition sequence only: {@code cut} (default) or {@code dissolve}
 * @param transitionSeconds a dissolve's length, default 0.5 s, at most half the shortest shot
 * @param webhook an http(s) URL called (signed with the farm's secret) with {@code batch.completed}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A shot list: shared defaults and shots, or variants of one prompt.")
public record BatchSubmission(
    BatchShot defaults,
    List<BatchShot> shots,
    @Schema(description = "Renders of the defaults' prompt with that many seeds", minimum = "1")
        Integer variants,
    BatchDelivery deliver,
    ShotTransition transition,
    @Schema(description = "A dissolve's length in seconds (default 0.5)") Double transitionSeconds,
    String webhook) {}
