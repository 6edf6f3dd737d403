package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.orchestrator.policy.PolicyException;
import dev.reelfarm.orchestrator.policy.PromptMatcher;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PromptRulesJsonTest {

  static String shipped() throws Exception {
    try (InputStream in =
        PromptRulesJsonTest.class.getClassLoader().getResourceAsStream(PromptPolicies.SHIPPED)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theShippedPolicyRefusesWhatItNamesAndPassesOrdinaryPrompts() throws Exception {
    PromptMatcher farm = PromptRulesJson.file(shipped()).farm();
    assertThat(farm.ruleIds())
        .containsExactly("sexual-minors", "non-consensual-intimate", "terrorist-propaganda");
    assertThat(farm.check("a NAKED   child on a beach").map(PromptMatcher.Refusal::rule))
        .contains("sexual-minors");
    assertThat(farm.check("deep fake nude of my neighbour").map(PromptMatcher.Refusal::rule))
        .contains("non-consensual-intimate");
    assertThat(farm.check("a red circle moving right on a blue background")).isEmpty();
    assertThat(farm.check("kids playing football in a park, 8 fps")).isEmpty();
    assertThat(farm.check("a naked mole rat in a burrow")).isEmpty();
  }

  @Test
  void aPolicyFileWithTeamsCompilesEachTeamsRules() {
    var file =
        PromptRulesJson.file(
            "{\"rules\":[],\"teams\":{\"marketing\":{\"rules\":[{\"id\":\"competitors\","
                + "\"terms\":[\"globex\"],\"message\":\"no competitor names\"}]}}}");
    assertThat(file.teams().get("marketing")).hasSize(1);
    assertThat(file.farm().check("globex")).isEmpty();
  }

  @Test
  void aBadPolicyFileNamesThePartAtFault() {
    assertThatThrownBy(() -> PromptRulesJson.file("{\"rulez\":[]}"))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("rulez:");
    assertThatThrownBy(
            () ->
                PromptRulesJson.file(
                    "{\"teams\":{\"m\":{\"rules\":[{\"id\":\"x\",\"patterns\":[\"(\"],"
                        + "\"message\":\"m\"}]}}}"))
        .hasMessageStartingWith("teams.m.rules[0].patterns[0]:");
    assertThatThrownBy(() -> PromptRulesJson.file("{\"rules\":[{\"id\":\"x\",\"terms\":\"a\"}]}"))
        .hasMessageStartingWith("rules[0].terms:");
    assertThatThrownBy(() -> PromptRulesJson.file("not json"))
        .hasMessageStartingWith("policy: malformed JSON");
  }

  @Test
  void anAdminBodyIsAnObjectWithRulesOnly() {
    assertThat(PromptRulesJson.request("{\"rules\":[]}")).isEmpty();
    assertThatThrownBy(() -> PromptRulesJson.request("{}")).hasMessageStartingWith("rules:");
    assertThatThrownBy(() -> PromptRulesJson.request("{\"rules\":[],\"x\":1}"))
        .hasMessageStartingWith("x:");
    assertThatThrownBy(
            () ->
                PromptRulesJson.request(
                    "{\"rules\":[{\"id\":\"a\",\"terms\":[\"b\"],\"message\":\"m\",\"extra\":1}]}"))
        .hasMessageStartingWith("rules[0].extra:");
  }

  @Test
  void rulesRoundTripThroughTheirStoredJson() {
    var rules =
        PromptRulesJson.request(
            "{\"rules\":[{\"id\":\"a\",\"terms\":[\"b c\"],\"patterns\":[\"d+\"],\"message\":\"m\"}]}");
    assertThat(PromptRulesJson.rules(PromptRulesJson.json(rules), "rules")).isEqualTo(rules);
  }
}
