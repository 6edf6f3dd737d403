package dev.reelfarm.orchestrator.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.policy.PolicyException;
import dev.reelfarm.orchestrator.policy.PromptMatcher;
import dev.reelfarm.orchestrator.policy.PromptRule;
import dev.reelfarm.schema.api.ApiJson;
import dev.reelfarm.schema.api.PromptPolicyRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prompt rules as JSON: the policy file ({@code {rules: [...], teams: {name: {rules: [...]}}}}),
 * the body of the admin route and the stored team rules share this reading, so each refuses the
 * same mistakes with the same field names ({@code rules[1].patterns[0]}).
 */
public final class PromptRulesJson {
  static final ObjectMapper JSON = ApiJson.mapper();
  private static final Set<String> RULE_FIELDS = Set.of("id", "terms", "patterns", "message");
  private static final Set<String> FILE_FIELDS = Set.of("description", "rules", "teams");

  /** The policy file: every team's rules and per-team rules by team name, compiled. */
  public record PolicyFile(
      List<PromptRule> rules, PromptMatcher farm, Map<String, List<PromptRule>> teams) {}

  private PromptRulesJson() {}

  /** Reads a policy file's text. */
  public static PolicyFile file(String text) {
    JsonNode root = tree(text, "policy");
    if (!root.isObject()) throw new PolicyException("policy", "must be a JSON object");
    root.fieldNames()
        .forEachRemaining(
            name -> {
              if (!FILE_FIELDS.contains(name))
                throw new PolicyException(name, "unknown field; expected " + FILE_FIELDS);
            });
    List<PromptRule> rules = rules(root.path("rules"), "rules");
    PromptMatcher farm = PromptMatcher.compile(rules, "rules");
    Map<String, List<PromptRule>> teams = new LinkedHashMap<>();
    JsonNode byTeam = root.path("teams");
    if (!byTeam.isMissingNode() && !byTeam.isObject())
      throw new PolicyException("teams", "must be an object of team name to {rules}");
    byTeam
        .fields()
        .forEachRemaining(
            e -> {
              String at = "teams." + e.getKey() + ".rules";
              List<PromptRule> teamRules = rules(e.getValue().path("rules"), at);
              PromptMatcher.compile(teamRules, at);
              teams.put(e.getKey(), teamRules);
            });
    return new PolicyFile(rules, farm, Map.copyOf(teams));
  }

  /**
   * The rules of an admin's {@code {rules: [...]}} body, compiled once to check them.
   *
   * @throws PolicyException the body or a rule is not valid
   */
  public static List<PromptRule> request(String body) {
    JsonNode root = tree(body, "body");
    if (!root.isObject()) throw new PolicyException("body", "must be a JSON object");
    root.fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("rules"))
                throw new PolicyException(name, "unknown field; expected rules");
            });
    if (!root.path("rules").isArray())
      throw new PolicyException("rules", "is required: an array of rules");
    List<PromptRule> rules = rules(root.get("rules"), "rules");
    PromptMatcher.compile(rules, "rules");
    return rules;
  }

  /** Reads a JSON array of rules ({@code field} names it in errors). */
  public static List<PromptRule> rules(String text, String field) {
    return rules(tree(text, field), field);
  }

  static List<PromptRule> rules(JsonNode array, String field) {
    if (array.isMissingNode() || array.isNull()) return List.of();
    if (!array.isArray()) throw new PolicyException(field, "must be an array of rules");
    List<PromptRule> rules = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode rule = array.get(i);
      String at = field + "[" + i + "]";
      if (!rule.isObject()) throw new PolicyException(at, "must be an object");
      rule.fieldNames()
          .forEachRemaining(
              name -> {
                if (!RULE_FIELDS.contains(name))
                  throw new PolicyException(
                      at + "." + name, "unknown field; expected one of " + RULE_FIELDS);
              });
      rules.add(
          new PromptRule(
              text(rule.get("id"), at + ".id"),
              strings(rule.get("terms"), at + ".terms"),
              strings(rule.get("patterns"), at + ".patterns"),
              text(rule.get("message"), at + ".message")));
    }
    return rules;
  }

  /** The rules as the API shows them. */
  public static List<PromptPolicyRule> views(List<PromptRule> rules) {
    return rules.stream()
        .map(r -> new PromptPolicyRule(r.id(), r.terms(), r.patterns(), r.message()))
        .toList();
  }

  /** The rules as a JSON array (what is stored). */
  public static String json(List<PromptRule> rules) {
    try {
      return JSON.writeValueAsString(views(rules));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("rules are plain JSON", e);
    }
  }

  private static JsonNode tree(String text, String field) {
    try {
      JsonNode node = JSON.readTree(text == null ? "" : text);
      if (node == null || node.isMissingNode())
        throw new PolicyException(field, "a JSON value is required");
      return node;
    } catch (JsonProcessingException e) {
      throw new PolicyException(field, "malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode node, String field) {
    if (node == null || node.isNull()) return null;
    if (!node.isTextual()) throw new PolicyException(field, "must be a string");
    TextRules.requireValid(field, node.textValue());
    return node.textValue();
  }

  private static List<String> strings(JsonNode node, String field) {
    if (node == null || node.isNull()) return List.of();
    if (!node.isArray()) throw new PolicyException(field, "must be an array of strings");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String value = text(node.get(i), field + "[" + i + "]");
      if (value == null) throw new PolicyException(field + "[" + i + "]", "must be a string");
      out.add(value);
    }
    return out;
  }
}
