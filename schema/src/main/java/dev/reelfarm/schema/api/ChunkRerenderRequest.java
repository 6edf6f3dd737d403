package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The optional body of {@code POST /api/v1/renders/{id}/chunks/{index}/rerender}: the chunk's new
 * seed (absent: a fresh random one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "The re-rendered chunk's seed; without one the farm draws a fresh seed.")
public record ChunkRerenderRequest(
    @Schema(
            description = "A 64-bit integer (a decimal string is accepted too)",
            examples = "424242")
        Long seed) {}
