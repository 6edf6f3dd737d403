package dev.reelfarm.orchestrator.submission;

import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.PromptPolicyRepository;
import dev.reelfarm.orchestrator.policy.PromptMatcher;
import dev.reelfarm.orchestrator.policy.PromptRule;
import dev.reelfarm.schema.api.PromptPolicyView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The prompt policy (README, Prompt policy): every prompt a route accepts is checked against the
 * farm's rules, then its team's (set by an admin through the API, else the policy file's entry for
 * the team) before anything is stored. A refused prompt is counted ({@code
 * reelfarm_prompts_refused_total{rule}}), written to the audit log, and answered 422 naming the
 * rule; it never becomes a job. A team's stored rules are read per check (one indexed row) and
 * compiled again only when they changed, so every replica applies a replacement at once.
 */
@ApplicationScoped
public class PromptPolicies {
  private static final Logger LOG = Logger.getLogger(PromptPolicies.class);
  static final String SHIPPED = "reelfarm/prompt-policy.json";
  static final String METRIC = "reelfarm.prompts.refused";

  private final boolean enabled;
  private final PromptRulesJson.PolicyFile file;
  private final Map<String, PromptMatcher> fileTeams = new ConcurrentHashMap<>();
  private final Map<UUID, Compiled> stored = new ConcurrentHashMap<>();
  private final Database db;
  private final PromptPolicyRepository repo;
  private final AuditLog audit;
  private final MeterRegistry registry;

  private record Compiled(Instant updatedAt, List<PromptRule> rules, PromptMatcher matcher) {}

  /** A team's rules and where they come from ({@code api}, {@code file} or {@code none}). */
  private record TeamRules(
      String source, List<PromptRule> rules, PromptMatcher matcher, Instant at) {}

  @Inject
  public PromptPolicies(
      ReelfarmConfig config,
      Database db,
      PromptPolicyRepository repo,
      AuditLog audit,
      MeterRegistry registry) {
    this(config.policy().enabled(), read(config.policy().file()), db, repo, audit, registry);
  }

  PromptPolicies(
      boolean enabled,
      String policyFile,
      Database db,
      PromptPolicyRepository repo,
      AuditLog audit,
      MeterRegistry registry) {
    this.enabled = enabled;
    this.file = PromptRulesJson.file(policyFile);
    this.db = db;
    this.repo = repo;
    this.audit = audit;
    this.registry = registry;
    file.teams()
        .forEach(
            (team, rules) ->
                fileTeams.put(team, PromptMatcher.compile(rules, "teams." + team + ".rules")));
    // Every rule the farm knows at start has its series from the first scrape, at 0.
    file.farm().ruleIds().forEach(this::counter);
    fileTeams.values().forEach(m -> m.ruleIds().forEach(this::counter));
    if (!enabled) LOG.warn("the prompt policy is off (reelfarm.policy.enabled=false)");
  }

  /**
   * Refuses {@code prompt} (carried in {@code field}) of {@code team} (named {@code teamName}, sent
   * by {@code actor}) if a rule of the team's policy matches it: counts it, writes the audit line
   * (in a transaction of its own, as nothing else is stored) and throws.
   *
   * @throws PromptRefusedException a rule matched
   */
  public void check(UUID team, String teamName, AuditLog.Actor actor, String field, String prompt) {
    if (!enabled) return;
    Optional<PromptMatcher.Refusal> refusal = file.farm().check(prompt);
    if (refusal.isEmpty())
      refusal = db.inTransaction(c -> teamRules(c, team, teamName)).matcher().check(prompt);
    if (refusal.isEmpty()) return;
    String rule = refusal.get().rule();
    counter(rule).increment();
    db.inTransaction(
        c -> {
          audit.record(
              c,
              actor,
              "prompt.refused",
              "prompt-policy",
              rule,
              Map.of(
                  "team", team.toString(),
                  "field", field,
                  "prompt", TextRules.printable(prompt)));
          return null;
        });
    throw new PromptRefusedException(
        field,
        rule,
        field + " refused by the prompt policy (rule " + rule + "): " + refusal.get().message());
  }

  /** The policy of {@code team} (named {@code name}) as the admin route shows it. */
  public PromptPolicyView view(Connection c, UUID team, String name) throws SQLException {
    TeamRules rules = teamRules(c, team, name);
    return new PromptPolicyView(
        team,
        name,
        enabled,
        PromptRulesJson.views(file.rules()),
        PromptRulesJson.views(rules.rules()),
        rules.source(),
        rules.at());
  }

  /**
   * Replaces {@code team}'s own rules with {@code rules} (from {@link PromptRulesJson#request}).
   */
  public void replace(Connection c, UUID team, List<PromptRule> rules) throws SQLException {
    repo.replace(c, team, PromptRulesJson.json(rules));
  }

  private TeamRules teamRules(Connection c, UUID team, String name) throws SQLException {
    Optional<PromptPolicyRepository.Stored> row = repo.find(c, team);
    if (row.isPresent()) {
      Compiled known = stored.get(team);
      if (known == null || !known.updatedAt().equals(row.get().updatedAt())) {
        List<PromptRule> rules = PromptRulesJson.rules(row.get().rulesJson(), "rules");
        known = new Compiled(row.get().updatedAt(), rules, PromptMatcher.compile(rules, "rules"));
        stored.put(team, known);
      }
      return new TeamRules("api", known.rules(), known.matcher(), known.updatedAt());
    }
    PromptMatcher fromFile = fileTeams.get(name);
    if (fromFile != null) return new TeamRules("file", file.teams().get(name), fromFile, null);
    return new TeamRules("none", List.of(), PromptMatcher.none(), null);
  }

  private Counter counter(String rule) {
    return Counter.builder(METRIC)
        .description("Prompts refused by the prompt policy, by the rule that refused them")
        .tag("rule", rule)
        .register(registry);
  }

  private static String read(Optional<java.nio.file.Path> override) {
    try {
      if (override.isPresent()) return Files.readString(override.get());
      try (InputStream in = PromptPolicies.class.getClassLoader().getResourceAsStream(SHIPPED)) {
        if (in == null)
          throw new IllegalStateException(SHIPPED + " is missing from the class path");
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the prompt policy file " + override.orElse(null), e);
    }
  }
}
