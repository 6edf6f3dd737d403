package dev.reelfarm.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptMatcherTest {
  private static final PromptMatcher MATCHER =
      PromptMatcher.compile(
          List.of(
              new PromptRule("weapons", List.of("kill", "non-consensual"), List.of(), "no weapons"),
              new PromptRule(
                  "logos",
                  List.of(),
                  List.of("\\b(acme|globex)\\s+logo\\b"),
                  "no trademarked logos")),
          "rules");

  private static String refusedBy(String prompt) {
    return MATCHER.check(prompt).map(PromptMatcher.Refusal::rule).orElse(null);
  }

  @Test
  void aTermRefusesThePromptThatContainsItAsAWord() {
    assertThat(MATCHER.check("a man who will kill a dragon"))
        .contains(new PromptMatcher.Refusal("weapons", "no weapons"));
    assertThat(refusedBy("a red circle moving right")).isNull();
  }

  @Test
  void caseAndExtraSpacesDoNotGetATermPast() {
    assertThat(refusedBy("KILL")).isEqualTo("weapons");
    assertThat(refusedBy("Kill!")).isEqualTo("weapons");
    assertThat(refusedBy("a NON   Consensual scene")).isEqualTo("weapons");
    assertThat(refusedBy("a non\tconsensual scene")).isEqualTo("weapons");
    assertThat(refusedBy("a nonconsensual scene")).isEqualTo("weapons");
  }

  @Test
  void lettersSpacedOutOrPunctuatedStillSpellTheTerm() {
    assertThat(refusedBy("k i l l the hero")).isEqualTo("weapons");
    assertThat(refusedBy("k.i.l.l the hero")).isEqualTo("weapons");
    assertThat(refusedBy("ki ll the hero")).isEqualTo("weapons");
  }

  @Test
  void unicodeLookAlikesAreNormalisedBeforeMatching() {
    assertThat(refusedBy("ｋｉｌｌ")).as("full-width letters (NFKC)").isEqualTo("weapons");
    assertThat(refusedBy("ki\u200Bll")).as("a zero-width space").isEqualTo("weapons");
    assertThat(refusedBy("ki\u00ADll")).as("a soft hyphen").isEqualTo("weapons");
    assertThat(refusedBy("kíll")).as("an accent on a Latin letter").isEqualTo("weapons");
    assertThat(refusedBy("ki\u0301ll")).as("a combining accent").isEqualTo("weapons");
  }

  @Test
  void aTermNeverMatchesPartOfAWord() {
    assertThat(refusedBy("a skilled painter")).isNull();
    assertThat(refusedBy("killer whales")).isNull();
    assertThat(refusedBy("skill")).isNull();
  }

  @Test
  void aPatternIsFoundCaseInsensitivelyInTheNormalisedPrompt() {
    assertThat(refusedBy("the ACME   Logo spinning")).isEqualTo("logos");
    assertThat(refusedBy("the globex logo")).isEqualTo("logos");
    assertThat(refusedBy("the acme logos")).isNull();
  }

  @Test
  void theFirstMatchingRuleInOrderRefuses() {
    assertThat(refusedBy("kill the acme logo")).isEqualTo("weapons");
  }

  @Test
  void scriptsWithMarksKeepThem() {
    PromptMatcher hindi =
        PromptMatcher.compile(
            List.of(new PromptRule("hi", List.of("हिंसा"), List.of(), "no")), "rules");
    assertThat(hindi.check("यह हिंसा है")).isPresent();
    assertThat(hindi.check("यह हस है")).isEmpty();
  }

  @Test
  void anEmptyPolicyRefusesNothing() {
    assertThat(PromptMatcher.none().check("kill")).isEmpty();
    assertThat(PromptMatcher.compile(List.of(), "rules").check("kill")).isEmpty();
  }

  @Test
  void aBadRuleIsRefusedNamingItsField() {
    assertThatThrownBy(() -> compile(new PromptRule("Bad Id", List.of("x"), List.of(), "m")))
        .isInstanceOf(PolicyException.class)
        .extracting(e -> ((PolicyException) e).field())
        .isEqualTo("rules[0].id");
    assertThatThrownBy(() -> compile(new PromptRule("a", List.of("x"), List.of("(unclosed"), "m")))
        .extracting(e -> ((PolicyException) e).field())
        .isEqualTo("rules[0].patterns[0]");
    assertThatThrownBy(() -> compile(new PromptRule("a", List.of("ok", "--"), List.of(), "m")))
        .extracting(e -> ((PolicyException) e).field())
        .isEqualTo("rules[0].terms[1]");
    assertThatThrownBy(() -> compile(new PromptRule("a", List.of(), List.of(), "m")))
        .extracting(e -> ((PolicyException) e).field())
        .isEqualTo("rules[0]");
    assertThatThrownBy(() -> compile(new PromptRule("a", List.of("x"), List.of(), " ")))
        .extracting(e -> ((PolicyException) e).field())
        .isEqualTo("rules[0].message");
    assertThatThrownBy(
            () ->
                PromptMatcher.compile(
                    List.of(
                        new PromptRule("a", List.of("x"), List.of(), "m"),
                        new PromptRule("a", List.of("y"), List.of(), "m")),
                    "rules"))
        .extracting(e -> ((PolicyException) e).field())
        .isEqualTo("rules[1].id");
  }

  @Test
  void normalisationCollapsesSpacesAndFoldsCase() {
    assertThat(PromptMatcher.normalise("  A\u3000Red \n\n Circle  ")).isEqualTo("a red circle");
    assertThat(PromptMatcher.words("a red-circle, moving!"))
        .containsExactly("a", "red", "circle", "moving");
  }

  private static PromptMatcher compile(PromptRule rule) {
    return PromptMatcher.compile(List.of(rule), "rules");
  }
}
