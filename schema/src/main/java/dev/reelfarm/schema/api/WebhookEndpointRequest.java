package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/webhooks}: where to call, for which events.
 *
 * @param progressIntervalSeconds with {@code render.progress}: at most one progress call per job
 *     this often (default 10)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A webhook endpoint to register for the caller's team.")
public record WebhookEndpointRequest(
    @Schema(
            required = true,
            description = "http(s) URL; private and loopback addresses are refused unless allowed",
            examples = "https://hooks.example.com/reelfarm")
        String url,
    @Schema(required = true, description = "The events to deliver (at least one)")
        List<WebhookEvent> events,
    @Schema(description = "With render.progress: seconds between two progress calls of one job")
        Integer progressIntervalSeconds,
    @Schema(description = "A note for people") String description) {}
