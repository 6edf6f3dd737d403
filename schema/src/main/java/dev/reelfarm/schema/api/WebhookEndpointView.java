package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A registered webhook endpoint. {@code secret} (the Standard Webhooks signing key) is only in the
 * answer that created it.
 */
@Schema(description = "A webhook endpoint of the caller's team.")
public record WebhookEndpointView(
    @Schema(required = true) UUID id,
    @Schema(required = true) String url,
    @Schema(required = true) List<WebhookEvent> events,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer progressIntervalSeconds,
    @Schema(required = true) String description,
    @Schema(required = true) Instant createdAt,
    @Schema(
            description = "Only when created: the signing secret, whsec_ + base64 (keep it)",
            examples = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String secret) {}
