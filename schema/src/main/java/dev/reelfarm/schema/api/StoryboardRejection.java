package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/renders/{id}/reject}: {@code cancel} ends the render, {@code
 * reroll} renders its anchors again with {@code seed} (a decimal string is accepted too; absent: a
 * random one) and waits for approval again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "What to do with a rejected storyboard.")
public record StoryboardRejection(
    @Schema(
            required = true,
            enumeration = {"cancel", "reroll"},
            examples = "reroll")
        String action,
    @Schema(
            nullable = true,
            description =
                "reroll only: the new seed (another than the current one); absent: random")
        Long seed) {}
