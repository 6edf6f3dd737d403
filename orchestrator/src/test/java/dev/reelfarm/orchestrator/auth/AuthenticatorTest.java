package dev.reelfarm.orchestrator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.persistence.ApiKeyRepository;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.TeamRepository;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.ApiKeyRequest;
import dev.reelfarm.schema.api.ApiKeyView;
import dev.reelfarm.schema.api.ApiKeys;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.schema.api.AuditEntry;
import dev.reelfarm.schema.api.TeamRequest;
import dev.reelfarm.schema.api.TeamView;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Teams, keys and their checks on a real PostgreSQL. */
@WithPostgres
class AuthenticatorTest {
  private final TestDatabase database;
  private final Database db;
  private final ApiKeyRepository keys = new ApiKeyRepository();
  private final AuditLog audit = new AuditLog();
  private final TeamAdmin admin;
  private final Authenticator authenticator;

  AuthenticatorTest(TestDatabase database) {
    this.database = database;
    this.db = new Database(database.dataSource());
    this.admin = new TeamAdmin(db, new TeamRepository(), keys, audit);
    this.authenticator = new Authenticator(db, keys, true);
  }

  @BeforeEach
  void empty() throws Exception {
    database.truncateAll();
  }

  private ApiKeyView newKey(String team, ApiScope... scopes) {
    return admin
        .createKey(Caller.AUTH_OFF, team, new ApiKeyRequest("test", List.of(scopes)))
        .orElseThrow();
  }

  @Test
  void aNewKeyIsRandom256BitsShownOnceAndStoredOnlyAsItsHash() throws Exception {
    admin.create(Caller.AUTH_OFF, new TeamRequest("studio", 2, null, 5, null));
    ApiKeyView created = newKey("studio", ApiScope.SUBMIT, ApiScope.READ);

    assertThat(created.key()).startsWith("rf_").hasSize(3 + 43);
    assertThat(newKey("studio", ApiScope.READ).key()).isNotEqualTo(created.key());
    assertThat(created.prefix()).isEqualTo(created.key().substring(0, ApiKeys.SHOWN_CHARS));
    String stored =
        db.inTransaction(
            c -> {
              try (ResultSet r =
                  c.createStatement()
                      .executeQuery(
                          "SELECT key_hash FROM api_key WHERE id = '" + created.id() + "'")) {
                r.next();
                return r.getString(1);
              }
            });
    assertThat(stored).isEqualTo(ApiKeys.hash(created.key())).doesNotContain(created.key());
    assertThat(admin.keysOf("studio").orElseThrow()).allMatch(k -> k.key() == null);
  }

  @Test
  void aKeyAuthenticatesAsItsTeamWithItsScopesUntilItIsRevoked() {
    TeamView team = admin.create(Caller.AUTH_OFF, new TeamRequest("ads", null, null, null, null));
    ApiKeyView key = newKey("ads", ApiScope.READ);

    Caller caller = authenticator.authenticate("Bearer " + key.key()).caller();
    assertThat(caller.teamId()).isEqualTo(team.id());
    assertThat(caller.teamName()).isEqualTo("ads");
    assertThat(caller.has(ApiScope.READ)).isTrue();
    assertThat(caller.has(ApiScope.SUBMIT)).isFalse();
    assertThat(caller.sees(team.id())).isTrue();
    assertThat(caller.sees(TeamRepository.DEFAULT_TEAM)).isFalse();
    assertThat(admin.keysOf("ads").orElseThrow().get(0).lastUsedAt()).isNotNull();

    admin.revoke(Caller.AUTH_OFF, key.id());
    Authenticator.Result revoked = authenticator.authenticate("Bearer " + key.key());
    assertThat(revoked.caller()).isNull();
    assertThat(revoked.refusal()).contains("revoked");
  }

  @Test
  void anAccessTokenActsAsItsKeyUntilItExpiresIsTamperedWithOrTheKeyIsRevoked() {
    admin.create(Caller.AUTH_OFF, new TeamRequest("web", null, null, null, null));
    ApiKeyView key = newKey("web", ApiScope.READ);
    Caller caller = authenticator.authenticate("Bearer " + key.key()).caller();

    String token = authenticator.issueToken(caller, java.time.Duration.ofMinutes(5));
    assertThat(token).doesNotContain(key.key());
    assertThat(authenticator.authenticateToken(token).caller()).isEqualTo(caller);
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    assertThat(authenticator.authenticateToken(tampered).caller()).isNull();
    assertThat(authenticator.authenticateToken("not-a-token").caller()).isNull();
    String expired = authenticator.issueToken(caller, java.time.Duration.ofSeconds(-1));
    assertThat(authenticator.authenticateToken(expired).refusal()).contains("expired");

    admin.revoke(Caller.AUTH_OFF, key.id());
    assertThat(authenticator.authenticateToken(token).refusal()).contains("revoked");
  }

  @Test
  void noKeyAMalformedHeaderOrAnUnknownKeyIsRefusedWithAReason() {
    assertThat(authenticator.authenticate(null).refusal()).contains("Authorization: Bearer");
    assertThat(authenticator.authenticate("Basic abc").refusal()).contains("'Bearer <key>'");
    assertThat(authenticator.authenticate("Bearer " + ApiKeys.generate()).refusal())
        .isEqualTo("the API key is not valid");
  }

  private static TeamAdmin.TeamChange patch(String json) {
    try {
      return TeamAdmin.TeamChange.of(ApiJson.mapper().readTree(json));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aTeamChangeIsAMergePatchWhereANullQuotaBecomesUnlimited() {
    admin.create(Caller.AUTH_OFF, new TeamRequest("capped", 2, 4, 10, 3600L));

    TeamView lifted =
        admin.update(Caller.AUTH_OFF, "capped", patch("{\"maxQueuedJobs\":null}")).orElseThrow();
    assertThat(lifted.maxQueuedJobs()).as("null: unlimited").isNull();
    assertThat(lifted.weight()).as("absent: unchanged").isEqualTo(2);
    assertThat(lifted.maxConcurrentChunks()).isEqualTo(4);
    assertThat(lifted.gpuSecondsPerDay()).isEqualTo(3600L);

    TeamView changed =
        admin
            .update(
                Caller.AUTH_OFF,
                "capped",
                patch("{\"maxConcurrentChunks\":6,\"gpuSecondsPerDay\":null}"))
            .orElseThrow();
    assertThat(changed.maxConcurrentChunks()).isEqualTo(6);
    assertThat(changed.gpuSecondsPerDay()).isNull();
    assertThat(changed.maxQueuedJobs()).isNull();

    assertThatThrownBy(() -> patch("{\"weight\":null}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("weight:");
    assertThatThrownBy(() -> patch("{\"maxQueuedJobs\":\"many\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("maxQueuedJobs:");
    assertThatThrownBy(() -> patch("{\"name\":\"other\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("name:");
    // outside int's range: refused, not wrapped into a small valid limit (-4294967291 -> 5)
    assertThatThrownBy(() -> patch("{\"maxConcurrentChunks\":-4294967291}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("maxConcurrentChunks: must be at least 1");
    assertThatThrownBy(() -> patch("{\"weight\":4294967297}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("weight: must be at most");
  }

  @Test
  void everyAdminChangeIsAudited() {
    TeamView team = admin.create(Caller.AUTH_OFF, new TeamRequest("fx", null, null, null, null));
    admin.update(Caller.AUTH_OFF, "fx", patch("{\"weight\":3,\"maxConcurrentChunks\":4}"));
    ApiKeyView key = newKey("fx", ApiScope.SUBMIT);
    admin.revoke(Caller.AUTH_OFF, key.id());

    List<AuditEntry> entries = db.inTransaction(c -> audit.page(c, 10, null));
    assertThat(entries)
        .extracting(AuditEntry::action)
        .containsExactly("key.revoke", "key.create", "team.update", "team.create");
    assertThat(entries.get(2).detail().get("weight")).isEqualTo(3);
    assertThat(entries.get(3).targetId()).isEqualTo(team.id().toString());
  }

  @Test
  void aTeamNameIsCheckedAndUnique() {
    assertThatThrownBy(
            () -> admin.create(Caller.AUTH_OFF, new TeamRequest("Bad Name", 1, null, null, null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("name"));
    admin.create(Caller.AUTH_OFF, new TeamRequest("one", null, null, null, null));
    assertThatThrownBy(
            () -> admin.create(Caller.AUTH_OFF, new TeamRequest("one", null, null, null, null)))
        .isInstanceOf(TeamAdmin.NameTaken.class);
    assertThatThrownBy(
            () -> admin.create(Caller.AUTH_OFF, new TeamRequest("two", 0, null, null, null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("weight"));
  }
}
