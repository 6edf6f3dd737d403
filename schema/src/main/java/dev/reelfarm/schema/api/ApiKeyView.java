package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An API key as listings show it: never the key itself, only its first characters ({@code prefix}).
 * {@code key} is present once, in the answer that created it.
 */
@Schema(description = "An API key; `key` only in the answer that created it.")
public record ApiKeyView(
    @Schema(required = true) UUID id,
    @Schema(required = true) UUID teamId,
    @Schema(required = true) String teamName,
    @Schema(required = true) String name,
    @Schema(required = true, description = "The key's first characters", examples = "rf_3kq8Zt0a")
        String prefix,
    @Schema(required = true) List<ApiScope> scopes,
    @Schema(required = true) Instant createdAt,
    @Schema(nullable = true, description = "Updated at most once a minute") Instant lastUsedAt,
    @Schema(nullable = true) Instant revokedAt,
    @Schema(description = "The key itself: shown once, at creation; store it now")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String key) {

  /** This view with the key itself (the answer that created it). */
  public ApiKeyView withKey(String key) {
    return new ApiKeyView(
        id, teamId, teamName, name, prefix, scopes, createdAt, lastUsedAt, revokedAt, key);
  }
}
