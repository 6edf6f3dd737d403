package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.auth.TeamAdmin;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiKeyView;
import dev.reelfarm.schema.api.ApiScope;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Revoking an API key (admins only). */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams")
@RequiresScope(ApiScope.ADMIN)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class KeyResource {
  private final TeamAdmin admin;

  public KeyResource(TeamAdmin admin) {
    this.admin = admin;
  }

  @DELETE
  @Path("/{id}")
  @Operation(
      operationId = "revokeApiKey",
      summary = "Revoke an API key",
      description =
          "Every later request with the key answers 401. Revoking twice keeps the first time.")
  @APIResponse(
      responseCode = "200",
      description = "The revoked key",
      content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public ApiKeyView revoke(
      @PathParam("id") @Parameter(description = "The key's id (a UUID)") String id,
      @Context SecurityContext security) {
    UUID key;
    try {
      key = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("id", "'" + id + "' is not a key id (a UUID)");
    }
    return admin
        .revoke(AuthFilter.caller(security), key)
        .orElseThrow(() -> new NotFoundException("no API key " + id));
  }
}
