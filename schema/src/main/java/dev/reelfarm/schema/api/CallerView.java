package dev.reelfarm.schema.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /api/v1/me}: whose key this is (the dashboard shows the team's name). */
@Schema(description = "The caller: its key's team and scopes.")
public record CallerView(
    @Schema(required = true) UUID teamId,
    @Schema(required = true) String teamName,
    @Schema(nullable = true, description = "null when auth is off")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        UUID keyId,
    @Schema(required = true) List<ApiScope> scopes) {}
