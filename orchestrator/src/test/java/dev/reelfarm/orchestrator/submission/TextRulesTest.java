package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextRulesTest {

  @Test
  void nulAndUnpairedSurrogatesAreRefusedNamingTheFieldAndTheIndex() {
    assertThatThrownBy(() -> TextRules.requireValid("prompt", "ab\u0000c"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("prompt: contains U+0000 (NUL) at index 2, which is not valid text");
    assertThatThrownBy(() -> TextRules.requireValid("preset", "x\uD800"))
        .hasMessageContaining("unpaired UTF-16 surrogate (U+D800) at index 1");
    assertThatThrownBy(() -> TextRules.requireValid("mode", "\uDC00x"))
        .hasMessageContaining("(U+DC00) at index 0");
    assertThatThrownBy(() -> TextRules.requireValid("mode", "\uDBFF\uDBFF\uDC00"))
        .as("a high surrogate followed by a pair")
        .hasMessageContaining("at index 0");
  }

  @Test
  void anyRealCharacterIsValidIncludingPairsRtlMarksAndControlCharacters() {
    assertThatCode(
            () -> TextRules.requireValid("prompt", "a 😀 cat \u200F\u202Eright-to-left\t\n\u0001"))
        .doesNotThrowAnyException();
    assertThat(TextRules.firstInvalid("")).isEqualTo(-1);
  }

  @Test
  void printableReplacesBadCodePointsAndCutsLongTextWithoutSplittingAPair() {
    assertThat(TextRules.printable("a\u0000b\uD800c\uDC00")).isEqualTo("a\uFFFDb\uFFFDc\uFFFD");
    assertThat(TextRules.printable(null)).isNull();
    String longText = "x".repeat(TextRules.MAX_ECHO_CHARS - 1) + "😀" + "y".repeat(10_000);
    String cut = TextRules.printable(longText);
    assertThat(cut).endsWith("😀…").hasSize(TextRules.MAX_ECHO_CHARS + 2);
    assertThat(TextRules.firstInvalid(cut)).isEqualTo(-1);
  }
}
