package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.OwnCredential;
import dev.reelfarm.orchestrator.join.FarmJoin;
import dev.reelfarm.schema.api.ErrorBody;
import dev.reelfarm.schema.api.FarmJoinInfo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How a worker or encoder on another host joins the farm ({@code ./reelfarm worker --join}). */
@Path("/api/v1/farm/join")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "farm")
@OwnCredential
public class JoinResource {

  /** The header that carries the join token (not Authorization: that is for the API keys). */
  public static final String TOKEN_HEADER = "Reelfarm-Join-Token";

  private final FarmJoin join;

  public JoinResource(FarmJoin join) {
    this.join = join;
  }

  @GET
  @Operation(
      operationId = "joinFarm",
      summary = "Settings for a worker or encoder joining from another host",
      description =
          "Kafka bootstrap servers as remote hosts reach them, the artifact store's settings and"
              + " the farm's model bundle (name, version, checksum), for the join token of"
              + " `reelfarm.join.token` (`./reelfarm up` prints it).")
  @SecurityRequirement(name = "joinToken")
  @APIResponse(
      responseCode = "200",
      description = "What the joining service needs",
      content = @Content(schema = @Schema(implementation = FarmJoinInfo.class)))
  @APIResponse(responseCode = "401", ref = "JoinUnauthorized")
  @APIResponse(responseCode = "403", ref = "JoinDisabled")
  @APIResponse(responseCode = "503", ref = "Unavailable")
  public Response info(@HeaderParam(TOKEN_HEADER) @Parameter(hidden = true) String token) {
    return switch (join.admit(token)) {
      case ADMITTED -> Response.ok(join.info()).build();
      case DISABLED ->
          refuse(
              403,
              "join_disabled",
              "joining is disabled: this orchestrator has no reelfarm.join.token configured");
      case MISSING ->
          refuse(
              401,
              "unauthorized",
              "a join token is required in the "
                  + TOKEN_HEADER
                  + " header (./reelfarm up prints the farm's; --token with ./reelfarm worker)");
      case WRONG -> refuse(401, "unauthorized", "the join token is wrong");
    };
  }

  private static Response refuse(int status, String code, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(code, TOKEN_HEADER, message))
        .build();
  }
}
