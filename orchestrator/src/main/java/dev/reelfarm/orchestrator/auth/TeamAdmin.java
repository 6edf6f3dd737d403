package dev.reelfarm.orchestrator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelfarm.orchestrator.persistence.ApiKeyRepository;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiKeyRequest;
import dev.reelfarm.schema.api.ApiKeyView;
import dev.reelfarm.schema.api.ApiKeys;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.TeamRequest;
import dev.reelfarm.schema.api.TeamView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What admins do with teams and keys, each change with its audit line in one transaction. A new key
 * is generated here, returned once and stored only as its hash.
 */
@ApplicationScoped
public class TeamAdmin {
  private static final Pattern TEAM_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final List<ApiScope> DEFAULT_SCOPES =
      List.of(ApiScope.SUBMIT, ApiScope.READ, ApiScope.CANCEL);

  private final Database db;
  private final TeamRepository teams;
  private final ApiKeyRepository keys;
  private final AuditLog audit;

  /** A team name that is taken (409). */
  public static final class NameTaken extends RuntimeException {
    NameTaken(String name) {
      super("a team named '" + name + "' exists already");
    }
  }

  public TeamAdmin(Database db, TeamRepository teams, ApiKeyRepository keys, AuditLog audit) {
    this.db = db;
    this.teams = teams;
    this.keys = keys;
    this.audit = audit;
  }

  public TeamView create(Caller admin, TeamRequest t) {
    if (t == null) throw new InvalidRequestException("body", "a JSON team is required");
    if (t.name() == null || !TEAM_NAME.matcher(t.name()).matches())
      throw new InvalidRequestException(
          "name", "1-63 lower-case letters, digits or '-' (not first), e.g. marketing");
    validLimits(t);
    return db.inTransaction(
        c -> {
          TeamView team = teams.create(c, t).orElseThrow(() -> new NameTaken(t.name()));
          audit.record(c, admin.actor(), "team.create", "team", team.id().toString(), limits(team));
          return team;
        });
  }

  /** The quotas a team may have, by their API names; each absent (null) is unlimited. */
  public static final Set<String> QUOTAS =
      Set.of("maxConcurrentChunks", "maxQueuedJobs", "gpuSecondsPerDay");

  /** The fields of a team change: the quotas and the weight (the name cannot change). */
  public static final Set<String> CHANGE_FIELDS =
      Stream.concat(Stream.of("name", "weight"), QUOTAS.stream()).collect(Collectors.toSet());

  /**
   * A change of a team as a JSON merge patch (RFC 7396) gives it: a field absent stays as it is, a
   * quota set to {@code null} becomes unlimited.
   */
  public record TeamChange(TeamRequest set, Set<String> unlimited) {

    /** The change in {@code patch}, a JSON object of {@link #CHANGE_FIELDS}; 400s name a field. */
    public static TeamChange of(JsonNode patch) {
      if (patch.has("name"))
        throw new InvalidRequestException("name", "a team's name cannot change");
      if (patch.has("weight") && patch.get("weight").isNull())
        throw new InvalidRequestException("weight", "must be at least 1 (a team always has one)");
      Set<String> unlimited = new TreeSet<>();
      for (String quota : QUOTAS)
        if (patch.has(quota) && patch.get(quota).isNull()) unlimited.add(quota);
      Long gpuSeconds = optionalInteger(patch, "gpuSecondsPerDay");
      return new TeamChange(
          new TeamRequest(
              null,
              intOrNull(patch, "weight"),
              intOrNull(patch, "maxConcurrentChunks"),
              intOrNull(patch, "maxQueuedJobs"),
              gpuSeconds),
          Set.copyOf(unlimited));
    }

    private static Integer intOrNull(JsonNode patch, String field) {
      Long value = optionalInteger(patch, field);
      if (value == null) return null;
      if (value > Integer.MAX_VALUE)
        throw new InvalidRequestException(field, "must be at most " + Integer.MAX_VALUE);
      // below int's range it would wrap into a valid-looking limit (-4294967291 -> 5)
      if (value < 1) throw new InvalidRequestException(field, "must be at least 1");
      return value.intValue();
    }

    private static Long optionalInteger(JsonNode patch, String field) {
      JsonNode node = patch.get(field);
      if (node == null || node.isNull()) return null;
      if (!node.isIntegralNumber() || !node.canConvertToLong())
        throw new InvalidRequestException(field, "must be an integer, or null for unlimited");
      return node.longValue();
    }
  }

  /** Applies {@code change}; empty when there is no such team. */
  public Optional<TeamView> update(Caller admin, String team, TeamChange change) {
    validLimits(change.set());
    return db.inTransaction(
        c -> {
          Optional<TeamView> found = teams.find(c, team);
          if (found.isEmpty()) return found;
          TeamView updated =
              teams.update(c, found.get().id(), change.set(), change.unlimited()).orElseThrow();
          audit.record(
              c, admin.actor(), "team.update", "team", updated.id().toString(), limits(updated));
          return Optional.of(updated);
        });
  }

  public List<TeamView> list() {
    return db.inTransaction(teams::list);
  }

  public Optional<TeamView> find(String team) {
    return db.inTransaction(c -> teams.find(c, team));
  }

  /** A team's keys; empty when there is no such team. */
  public Optional<List<ApiKeyView>> keysOf(String team) {
    return db.inTransaction(
        c -> {
          Optional<TeamView> found = teams.find(c, team);
          if (found.isEmpty()) return Optional.empty();
          return Optional.of(keys.ofTeam(c, found.get().id()));
        });
  }

  /** A new key of {@code team}: the answer is the only place the key itself ever appears. */
  public Optional<ApiKeyView> createKey(Caller admin, String team, ApiKeyRequest request) {
    if (request == null || request.name() == null || request.name().isBlank())
      throw new InvalidRequestException("name", "a key needs a name (what it is for)");
    if (request.name().length() > 200)
      throw new InvalidRequestException("name", "at most 200 characters");
    List<ApiScope> scopes =
        request.scopes() == null || request.scopes().isEmpty() ? DEFAULT_SCOPES : request.scopes();
    if (scopes.stream().anyMatch(java.util.Objects::isNull))
      throw new InvalidRequestException("scopes", "unknown scope");
    String key = ApiKeys.generate();
    UUID id = UUID.randomUUID();
    return db.inTransaction(
        c -> {
          Optional<TeamView> found = teams.find(c, team);
          if (found.isEmpty()) return Optional.<ApiKeyView>empty();
          keys.insert(
              c,
              id,
              found.get().id(),
              request.name(),
              ApiKeys.hash(key),
              ApiKeys.shown(key),
              EnumSet.copyOf(scopes));
          ApiKeyView created = keys.find(c, id).orElseThrow();
          audit.record(
              c,
              admin.actor(),
              "key.create",
              "api_key",
              id.toString(),
              Map.of(
                  "team", found.get().id().toString(),
                  "name", request.name(),
                  "scopes", scopes.stream().map(ApiScope::id).toList()));
          return Optional.of(created.withKey(key));
        });
  }

  /** Revokes a key: every later request with it is refused (401). */
  public Optional<ApiKeyView> revoke(Caller admin, UUID key) {
    return db.inTransaction(
        c -> {
          Optional<ApiKeyView> revoked = keys.revoke(c, key);
          if (revoked.isPresent())
            audit.record(
                c,
                admin.actor(),
                "key.revoke",
                "api_key",
                key.toString(),
                Map.of("team", revoked.get().teamId().toString()));
          return revoked;
        });
  }

  private static void validLimits(TeamRequest t) {
    if (t.weight() != null && t.weight() < 1)
      throw new InvalidRequestException("weight", "must be at least 1");
    if (t.maxConcurrentChunks() != null && t.maxConcurrentChunks() < 1)
      throw new InvalidRequestException("maxConcurrentChunks", "must be at least 1");
    if (t.maxQueuedJobs() != null && t.maxQueuedJobs() < 1)
      throw new InvalidRequestException("maxQueuedJobs", "must be at least 1");
    if (t.gpuSecondsPerDay() != null && t.gpuSecondsPerDay() < 1)
      throw new InvalidRequestException("gpuSecondsPerDay", "must be at least 1");
  }

  private static Map<String, Object> limits(TeamView t) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("name", t.name());
    detail.put("weight", t.weight());
    detail.put("maxConcurrentChunks", t.maxConcurrentChunks());
    detail.put("maxQueuedJobs", t.maxQueuedJobs());
    detail.put("gpuSecondsPerDay", t.gpuSecondsPerDay());
    return detail;
  }
}
