package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Authenticator;
import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.schema.api.AccessToken;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.CallerView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Whose key a request carries (the dashboard's login checks a key with it). */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams")
@RequiresScope(ApiScope.READ)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class CallerResource {
  /** How long an access token lasts; the dashboard fetches a new one every half of it. */
  static final Duration TOKEN_TTL = Duration.ofHours(1);

  private final Authenticator authenticator;

  public CallerResource(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @GET
  @Operation(
      operationId = "whoAmI",
      summary = "The caller",
      description = "The team and scopes of the request's API key.")
  @APIResponse(
      responseCode = "200",
      description = "The caller",
      content = @Content(schema = @Schema(implementation = CallerView.class)))
  public CallerView me(@Context SecurityContext security) {
    Caller caller = AuthFilter.caller(security);
    List<ApiScope> scopes = caller.scopes().stream().sorted().toList();
    return new CallerView(caller.teamId(), caller.teamName(), caller.keyId(), scopes);
  }

  @POST
  @Path("/access-token")
  @Operation(
      operationId = "createAccessToken",
      summary = "A short-lived read token",
      description =
          "For what a browser loads without headers (`<img>`, `<video>`, EventSource): a GET with"
              + " `?access=<token>` acts as the caller's key for an hour. Revoking the key ends it.")
  @APIResponse(
      responseCode = "200",
      description = "The token",
      content = @Content(schema = @Schema(implementation = AccessToken.class)))
  public Response accessToken(@Context SecurityContext security) {
    Instant expires = Instant.now().plus(TOKEN_TTL);
    String token = authenticator.issueToken(AuthFilter.caller(security), TOKEN_TTL);
    return Response.ok(new AccessToken(token, expires)).header("Cache-Control", "no-store").build();
  }
}
