package dev.reelfarm.orchestrator.auth;

import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.schema.api.ApiScope;
import java.security.Principal;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Who sends a request: an API key ({@code keyId}, null when auth is off), its team and scopes.
 * Admins see every team's jobs; everyone else only their own team's.
 */
public record Caller(UUID keyId, UUID teamId, String teamName, Set<ApiScope> scopes)
    implements Principal {

  /** Every request of a farm with auth off: an admin of the default team. */
  public static final Caller AUTH_OFF =
      new Caller(null, TeamRepository.DEFAULT_TEAM, "default", EnumSet.allOf(ApiScope.class));

  public boolean has(ApiScope scope) {
    return scopes.contains(scope);
  }

  public boolean admin() {
    return has(ApiScope.ADMIN);
  }

  /** Whether this caller may see a job (or anything of it) owned by {@code team}. */
  public boolean sees(UUID team) {
    return admin() || teamId.equals(team);
  }

  /** The team whose jobs a listing shows: null (every team) for an admin. */
  public UUID listedTeam() {
    return admin() ? null : teamId;
  }

  /** The audit log's actor: the key and its team, or nobody when auth is off. */
  public AuditLog.Actor actor() {
    return keyId == null ? new AuditLog.Actor(null, null) : new AuditLog.Actor(keyId, teamId);
  }

  @Override
  public String getName() {
    return keyId == null ? "auth-off" : "key " + keyId + " of team " + teamName;
  }
}
