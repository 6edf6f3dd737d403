package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.PromptPolicyRepository;
import dev.reelfarm.schema.api.ApiScope;
import dev.reelfarm.testing.TestDatabase;
import dev.reelfarm.testing.WithPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prompt policy on a real PostgreSQL: the farm's rules for everyone, a team's own rules for it
 * alone, a refusal counted and audited, a replacement applied at the next check.
 */
@WithPostgres
class PromptPoliciesTest {
  private static final UUID MARKETING = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
  private static final UUID STUDIO = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
  private static final String FILE =
      "{\"rules\":[{\"id\":\"weapons\",\"terms\":[\"bazooka\"],\"message\":\"no weapons\"}],"
          + "\"teams\":{\"marketing\":{\"rules\":[{\"id\":\"competitors\",\"terms\":[\"globex\"],"
          + "\"message\":\"no competitor names\"}]}}}";

  private final TestDatabase database;
  private final Database db;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PromptPolicies policies;
  private final Caller marketing =
      new Caller(UUID.randomUUID(), MARKETING, "marketing", EnumSet.of(ApiScope.SUBMIT));
  private final Caller studio =
      new Caller(UUID.randomUUID(), STUDIO, "studio", EnumSet.of(ApiScope.SUBMIT));

  PromptPoliciesTest(TestDatabase database) {
    this.database = database;
    this.db = new Database(database.dataSource());
    this.policies =
        new PromptPolicies(true, FILE, db, new PromptPolicyRepository(), new AuditLog(), registry);
  }

  @BeforeEach
  void teams() throws Exception {
    database.truncateAll();
    db.inTransaction(
        c -> {
          c.createStatement()
              .execute(
                  "INSERT INTO team (id, name) VALUES ('"
                      + MARKETING
                      + "', 'marketing'), ('"
                      + STUDIO
                      + "', 'studio')");
          return null;
        });
  }

  private String refusal(Caller caller, String prompt) {
    try {
      policies.check(caller.teamId(), caller.teamName(), caller.actor(), "prompt", prompt);
      return null;
    } catch (PromptRefusedException e) {
      assertThat(e.field()).isEqualTo("prompt");
      return e.rule();
    }
  }

  private double refused(String rule) {
    return registry.get(PromptPolicies.METRIC).tag("rule", rule).counter().count();
  }

  @Test
  void theFarmsRulesApplyToEveryTeamAndATeamsOwnOnlyToIt() {
    assertThat(refusal(studio, "a BAZOOKA in a field")).isEqualTo("weapons");
    assertThat(refusal(marketing, "a bazooka")).isEqualTo("weapons");
    assertThat(refusal(marketing, "the Globex tower")).isEqualTo("competitors");
    assertThat(refusal(studio, "the Globex tower")).isNull();
  }

  @Test
  void aRefusalIsCountedByRuleAndAudited() throws Exception {
    assertThat(refused("weapons")).as("registered at start").isZero();
    assertThat(refused("competitors")).isZero();

    assertThatThrownBy(
            () ->
                policies.check(
                    studio.teamId(), "studio", studio.actor(), "prompt", "bazooka at dawn"))
        .isInstanceOf(PromptRefusedException.class)
        .hasMessageContaining("rule weapons")
        .hasMessageContaining("no weapons");
    refusal(studio, "two bazookas");
    refusal(studio, "b a z o o k a");

    assertThat(refused("weapons")).isEqualTo(2);
    String audit =
        db.inTransaction(
            c -> {
              try (ResultSet r =
                  c.createStatement()
                      .executeQuery(
                          "SELECT count(*), max(target_id), max(detail->>'prompt'),"
                              + " max(actor_team_id::text) FROM audit_log WHERE action ="
                              + " 'prompt.refused'")) {
                r.next();
                return r.getInt(1)
                    + " "
                    + r.getString(2)
                    + " "
                    + r.getString(3)
                    + " "
                    + r.getString(4);
              }
            });
    assertThat(audit).isEqualTo("2 weapons bazooka at dawn " + STUDIO);
  }

  @Test
  void rulesSetThroughTheApiReplaceTheFilesAndApplyAtTheNextCheck() {
    assertThat(refusal(studio, "a purple elephant")).isNull();
    db.inTransaction(
        c -> {
          policies.replace(
              c,
              STUDIO,
              PromptRulesJson.request(
                  "{\"rules\":[{\"id\":\"elephants\",\"patterns\":[\"purple\\\\s+elephants?\"],"
                      + "\"message\":\"no purple elephants\"}]}"));
          policies.replace(c, MARKETING, PromptRulesJson.request("{\"rules\":[]}"));
          return null;
        });

    assertThat(refusal(studio, "a Purple   Elephant")).isEqualTo("elephants");
    assertThat(refusal(marketing, "the Globex tower")).as("[] replaced the file's").isNull();
    assertThat(refusal(marketing, "a purple elephant")).isNull();

    var view = db.inTransaction(c -> policies.view(c, STUDIO, "studio"));
    assertThat(view.teamRulesSource()).isEqualTo("api");
    assertThat(view.teamRules()).extracting(r -> r.id()).containsExactly("elephants");
    assertThat(view.farmRules()).extracting(r -> r.id()).containsExactly("weapons");
    assertThat(db.inTransaction(c -> policies.view(c, MARKETING, "marketing")).teamRules())
        .isEmpty();

    db.inTransaction(
        c -> {
          policies.replace(c, STUDIO, PromptRulesJson.request("{\"rules\":[]}"));
          return null;
        });
    assertThat(refusal(studio, "a purple elephant")).isNull();
  }

  @Test
  void anUnknownTeamHasTheFarmsRulesOnly() {
    var view = db.inTransaction(c -> policies.view(c, STUDIO, "studio"));
    assertThat(view.teamRulesSource()).isEqualTo("none");
    assertThat(db.inTransaction(c -> policies.view(c, MARKETING, "marketing")).teamRulesSource())
        .isEqualTo("file");
  }

  @Test
  void aDisabledPolicyRefusesNothing() {
    var off =
        new PromptPolicies(false, FILE, db, new PromptPolicyRepository(), new AuditLog(), registry);
    off.check(studio.teamId(), "studio", studio.actor(), "prompt", "bazooka");
    assertThat(refused("weapons")).isZero();
  }
}
