package dev.reelfarm.orchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.auth.TeamAdmin;
import dev.reelfarm.orchestrator.submission.RenderRequestParser;
import dev.reelfarm.schema.api.ApiKeyRequest;
import dev.reelfarm.schema.api.ApiKeyView;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.TeamRequest;
import dev.reelfarm.schema.api.TeamUsageView;
import dev.reelfarm.schema.api.TeamView;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Teams and their API keys (admins only); a team's usage (its own members too). */
@Path("/api/v1/teams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams")
@RequiresScope(ApiScope.ADMIN)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class TeamResource {
  private final TeamAdmin admin;
  private final TeamUsages usages;
  private final ObjectMapper mapper;

  public TeamResource(TeamAdmin admin, TeamUsages usages, ObjectMapper mapper) {
    this.admin = admin;
    this.usages = usages;
    this.mapper = mapper;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createTeam",
      summary = "Create a team",
      description = "A team with its fair-share weight (default 1) and quotas (absent: unlimited).")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = TeamRequest.class)))
  @APIResponse(
      responseCode = "201",
      description = "The new team",
      content = @Content(schema = @Schema(implementation = TeamView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "409", ref = "Conflict")
  public Response create(TeamRequest team, @Context SecurityContext security) {
    try {
      TeamView created = admin.create(AuthFilter.caller(security), team);
      return Response.status(201)
          .header("Location", "/api/v1/teams/" + created.id())
          .entity(created)
          .build();
    } catch (TeamAdmin.NameTaken e) {
      throw new ClientErrorException(e.getMessage(), 409);
    }
  }

  @GET
  @Operation(operationId = "listTeams", summary = "List teams", description = "By name.")
  @APIResponse(
      responseCode = "200",
      description = "Every team",
      content =
          @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = TeamView.class)))
  public List<TeamView> list() {
    return admin.list();
  }

  @GET
  @Path("/usage")
  @Operation(
      operationId = "listTeamUsage",
      summary = "Every team's queue, share and quota use",
      description =
          "Per team, by name: its queued and running jobs, chunks in flight, its share of the"
              + " chunk-seconds over the fair-share window next to what its weight entitles it to,"
              + " and its quotas with their use.")
  @APIResponse(
      responseCode = "200",
      description = "Every team's usage",
      content =
          @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = TeamUsageView.class)))
  public List<TeamUsageView> usage() {
    return usages.all();
  }

  @GET
  @Path("/{team}/usage")
  @RequiresScope(ApiScope.READ)
  @Operation(
      operationId = "getTeamUsage",
      summary = "A team's queue, share and quota use",
      description =
          "As `listTeamUsage`, for one team: the caller's own (another team's answers 404), or"
              + " any for an admin.")
  @APIResponse(
      responseCode = "200",
      description = "The team's usage",
      content = @Content(schema = @Schema(implementation = TeamUsageView.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public TeamUsageView usageOf(
      @PathParam("team") @Parameter(ref = "Team") String team, @Context SecurityContext security) {
    TeamView found =
        admin
            .find(team)
            .filter(t -> AuthFilter.caller(security).sees(t.id()))
            .orElseThrow(() -> noTeam(team));
    return usages.of(found.id());
  }

  @GET
  @Path("/{team}")
  @Operation(operationId = "getTeam", summary = "Get a team", description = "By id or name.")
  @APIResponse(
      responseCode = "200",
      description = "The team",
      content = @Content(schema = @Schema(implementation = TeamView.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public TeamView get(@PathParam("team") @Parameter(ref = "Team") String team) {
    return admin.find(team).orElseThrow(() -> noTeam(team));
  }

  @PATCH
  @Path("/{team}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "updateTeam",
      summary = "Change a team's weight or quotas",
      description =
          "A JSON merge patch (RFC 7396): sets the fields given, a quota given as null becomes"
              + " unlimited; the others (and the name) stay.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = TeamRequest.class)))
  @APIResponse(
      responseCode = "200",
      description = "The team after the change",
      content = @Content(schema = @Schema(implementation = TeamView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public TeamView update(
      @PathParam("team") @Parameter(ref = "Team") String team,
      String body,
      @Context SecurityContext security) {
    var change =
        TeamAdmin.TeamChange.of(
            RenderRequestParser.object(mapper, body, TeamAdmin.CHANGE_FIELDS, true));
    return admin.update(AuthFilter.caller(security), team, change).orElseThrow(() -> noTeam(team));
  }

  @POST
  @Path("/{team}/keys")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createApiKey",
      summary = "Create an API key",
      description =
          "A new random key of the team. The answer's `key` is the only time the key is shown:"
              + " only its SHA-256 is stored.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = ApiKeyRequest.class)))
  @APIResponse(
      responseCode = "201",
      description = "The new key, with `key`",
      content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  public Response createKey(
      @PathParam("team") @Parameter(ref = "Team") String team,
      ApiKeyRequest key,
      @Context SecurityContext security) {
    ApiKeyView created =
        admin.createKey(AuthFilter.caller(security), team, key).orElseThrow(() -> noTeam(team));
    return Response.status(201).header("Cache-Control", "no-store").entity(created).build();
  }

  @GET
  @Path("/{team}/keys")
  @Operation(
      operationId = "listApiKeys",
      summary = "List a team's API keys",
      description = "Newest first, revoked ones included; never the keys themselves.")
  @APIResponse(
      responseCode = "200",
      description = "The team's keys",
      content =
          @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ApiKeyView.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public List<ApiKeyView> keys(@PathParam("team") @Parameter(ref = "Team") String team) {
    return admin.keysOf(team).orElseThrow(() -> noTeam(team));
  }

  private static NotFoundException noTeam(String team) {
    return new NotFoundException("no team " + team);
  }
}
