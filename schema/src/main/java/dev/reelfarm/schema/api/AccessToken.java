package dev.reelfarm.schema.api;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A short-lived read token of the caller's key, for URLs a browser loads without headers ({@code
 * <img>}, {@code <video>}, EventSource): {@code ?access=<token>} on a GET.
 */
@Schema(description = "A short-lived read token: `?access=<token>` on GET routes.")
public record AccessToken(
    @Schema(required = true) String token, @Schema(required = true) Instant expiresAt) {}
