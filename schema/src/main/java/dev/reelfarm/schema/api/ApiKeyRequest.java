package dev.reelfarm.schema.api;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code POST /api/v1/teams/{team}/keys}. */
@Schema(description = "An API key to create for a team.")
public record ApiKeyRequest(
    @Schema(required = true, description = "What the key is for", examples = "ci") String name,
    @Schema(description = "Its scopes (default: submit, read, cancel)") List<ApiScope> scopes) {}
