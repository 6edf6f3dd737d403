package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.RequiresScope;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.submission.PromptPolicies;
import dev.reelfarm.orchestrator.submission.PromptRulesJson;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.PromptPolicyRequest;
import dev.reelfarm.schema.api.PromptPolicyView;
import dev.reelfarm.schema.api.TeamView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Admin: a team's prompt policy, read and replaced. The farm's rules (the policy file) always
 * apply; what is replaced here are the team's own rules, checked after them.
 */
@Path("/api/v1/teams/{team}/prompt-policy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams")
@RequiresScope(ApiScope.ADMIN)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@APIResponse(responseCode = "503", ref = "Unavailable")
public class PromptPolicyResource {
  private final Database db;
  private final TeamRepository teams;
  private final PromptPolicies policies;
  private final AuditLog audit;

  public PromptPolicyResource(
      Database db, TeamRepository teams, PromptPolicies policies, AuditLog audit) {
    this.db = db;
    this.teams = teams;
    this.policies = policies;
    this.audit = audit;
  }

  @GET
  @Operation(
      operationId = "getTeamPromptPolicy",
      summary = "A team's prompt policy",
      description = "The farm's rules and the team's own, which its prompts are checked against.")
  @APIResponse(
      responseCode = "200",
      description = "The policy",
      content = @Content(schema = @Schema(implementation = PromptPolicyView.class)))
  @APIResponse(responseCode = "404", ref = "NotFound")
  public PromptPolicyView get(@PathParam("team") @Parameter(ref = "Team") String team) {
    return db.inTransaction(
        c -> {
          TeamView found = team(c, team);
          return policies.view(c, found.id(), found.name());
        });
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "replaceTeamPromptPolicy",
      summary = "Replace a team's prompt rules",
      description =
          "Replaces all of the team's own rules (`[]` removes them; the policy file's entry for"
              + " the team no longer applies once rules were set here). Every replica checks the"
              + " team's next prompt against them. A bad rule is a 400 naming it, e.g."
              + " `rules[1].patterns[0]`.")
  @RequestBody(
      required = true,
      content = @Content(schema = @Schema(implementation = PromptPolicyRequest.class)))
  @APIResponse(
      responseCode = "200",
      description = "The policy after the change",
      content = @Content(schema = @Schema(implementation = PromptPolicyView.class)))
  @APIResponse(responseCode = "400", ref = "BadRequest")
  @APIResponse(responseCode = "404", ref = "NotFound")
  @APIResponse(responseCode = "413", ref = "TooLarge")
  public PromptPolicyView replace(
      @PathParam("team") @Parameter(ref = "Team") String team,
      String body,
      @Context SecurityContext security) {
    var rules = PromptRulesJson.request(body);
    return db.inTransaction(
        c -> {
          TeamView found = team(c, team);
          policies.replace(c, found.id(), rules);
          PromptPolicyView after = policies.view(c, found.id(), found.name());
          audit.record(
              c,
              AuthFilter.caller(security).actor(),
              "policy.replace",
              "team",
              found.id().toString(),
              Map.of("rules", after.teamRules().size()));
          return after;
        });
  }

  private TeamView team(Connection c, String team) throws SQLException {
    return teams.find(c, team).orElseThrow(() -> new NotFoundException("no team " + team));
  }
}
