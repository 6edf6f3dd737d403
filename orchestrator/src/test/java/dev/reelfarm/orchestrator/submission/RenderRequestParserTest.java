package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.presets.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RenderRequestParserTest {
  /** The default model: 25 steps, guidance 5 by default. */
  private static final BundleFacts DEFAULT =
      new BundleFacts("shapes", "2", "sha256:aa", 64, 112, 8, 8, 1, 25, 5.0, false);

  private static final BundleFacts DRAFT =
      new BundleFacts("draft", "1", "sha256:bb", 48, 80, 8, 6, 1, 4, 2.0, true);

  private final RenderRequestParser parser =
      new RenderRequestParser(new ObjectMapper(), ModelLookup.of(DEFAULT, DRAFT), () -> 42L);

  @Test
  void absentOptionalFieldsTakeTheModelsDefaults() {
    RenderRequest r = parser.parse("{\"prompt\":\"a red circle\"}");

    assertThat(r.durationSeconds()).isEqualTo(4.0);
    assertThat(r.preset()).isEqualTo(Preset.TIKTOK);
    assertThat(r.steps()).isEqualTo(25);
    assertThat(r.guidanceScale()).isEqualTo(5.0);
    assertThat(r.seed()).isEqualTo(42L);
    assertThat(r.mode()).as("the planner picks the mode").isNull();
    assertThat(r.model()).isEqualTo(DEFAULT);
  }

  @Test
  void aNamedModelIsChosenAndItsDefaultsFillTheRest() {
    RenderRequest r = parser.parse("{\"prompt\":\"a red circle\",\"model\":\"draft\"}");

    assertThat(r.model()).isEqualTo(DRAFT);
    assertThat(r.steps()).isEqualTo(4);
    assertThat(r.guidanceScale()).isEqualTo(2.0);
    assertThat(parser.parse("{\"prompt\":\"x\",\"model\":\"draft\",\"steps\":9}").steps())
        .isEqualTo(9);
    assertThat(parser.parse("{\"prompt\":\"x\",\"model\":null}").model()).isEqualTo(DEFAULT);
  }

  @Test
  void anUnknownModelIsRefusedNamingTheFieldAndTheKnownModels() {
    assertThatThrownBy(() -> parser.parse("{\"prompt\":\"x\",\"model\":\"wan-14b\"}"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo("model");
              assertThat(e.getMessage()).contains("unknown model 'wan-14b'", "shapes, draft");
            });
    assertThatThrownBy(() -> parser.parse("{\"prompt\":\"x\",\"model\":7}"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("model"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "preset,imax,'tiktok, shorts, reels, landscape'",
    "mode,spiral,'sequential, anchored, independent'",
    "interpolation,wobble,'motion, blend, repeat'",
    "review,everything,keyframes"
  })
  void aValueOutsideAClosedSetIsRefusedListingTheAllowedOnes(
      String field, String value, String allowed) {
    String body = "{\"prompt\":\"x\",\"" + field + "\":\"" + value + "\"}";
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage())
                  .isEqualTo(
                      field
                          + ": unknown "
                          + field
                          + " '"
                          + value
                          + "'; expected one of "
                          + allowed);
            });
  }

  @Test
  void seedAcceptsNumbersAndDecimalStringsBeyondDoublePrecision() {
    assertThat(parser.parse("{\"prompt\":\"x\",\"seed\":7}").seed()).isEqualTo(7L);
    assertThat(parser.parse("{\"prompt\":\"x\",\"seed\":\"9007199254740993\"}").seed())
        .isEqualTo(9007199254740993L);
  }

  @Test
  void aPriorityBeyondTheIntRangeIsRefusedRatherThanWrapped() {
    // 2^32 + 5 would read as 5 if it were cast before the range check
    assertThatThrownBy(() -> parser.parse("{\"prompt\":\"x\",\"priority\":4294967301}"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("priority"));
  }

  @Test
  void aReRendersOptionalBodyIsAnEmptyObjectAndItsSeedIsOptional() {
    var mapper = dev.reelfarm.schema.api.ApiJson.mapper();
    var empty = RenderRequestParser.object(mapper, "", java.util.Set.of("seed"), false);
    assertThat(RenderRequestParser.seed(empty)).isEmpty();
    var seeded =
        RenderRequestParser.object(mapper, "{\"seed\":\"42\"}", java.util.Set.of("seed"), false);
    assertThat(RenderRequestParser.seed(seeded)).contains(42L);
    assertThatThrownBy(
            () -> RenderRequestParser.object(mapper, "{\"x\":1}", java.util.Set.of("seed"), false))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("x"));
  }

  @Test
  void aWebhookIsAnAbsoluteHttpUrlAndAbsentMeansNone() {
    assertThat(parser.parse("{\"prompt\":\"x\"}").webhook()).isNull();
    assertThat(
            parser.parse("{\"prompt\":\"x\",\"webhook\":\"https://h.example/cb?a=1\"}").webhook())
        .isEqualTo("https://h.example/cb?a=1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"prompt\":\"\"}|prompt",
        "{\"prompt\":\"x\",\"seed\":\"abc\"}|seed",
        "{\"prompt\":\"x\",\"durationSeconds\":61}|durationSeconds",
        "{\"prompt\":\"x\",\"preset\":\"imax\"}|preset",
        "{\"prompt\":\"x\",\"steps\":0}|steps",
        "{\"prompt\":\"x\",|body",
        "{\"prompt\":\"x\",\"durationSecond\":4}|durationSecond",
        "{\"prompt\":\"x\",\"webhook\":\"ftp://h/x\"}|webhook",
        "{\"prompt\":\"x\",\"webhook\":\"https://u:p@h/x\"}|webhook",
        "{\"prompt\":\"x\",\"webhook\":7}|webhook",
      })
  void badInputNamesTheField(String body, String field) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"prompt\":\"a\\u0000b\"}|prompt",
        "{\"prompt\":\"a \\ud83d cat\"}|prompt",
        "{\"prompt\":\"x\",\"negativePrompt\":\"\\udc00\"}|negativePrompt",
        "{\"prompt\":\"x\",\"preset\":\"tiktok\\u0000\"}|preset",
        "{\"prompt\":\"x\",\"mode\":\"\\u0000anchored\"}|mode",
      })
  void nulAndUnpairedSurrogatesInAnyTextFieldAreRefusedNamingTheField(String body, String field) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not valid text")
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field));
  }

  @Test
  void anUnknownFieldWhoseNameIsNotValidTextIsRefusedAsSuch() {
    assertThatThrownBy(() -> parser.parse("{\"prompt\":\"x\",\"a\\u0000\":1}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("U+0000");
  }

  @Test
  void surrogatePairsAndRtlMarksAreOrdinaryText() {
    RenderRequest r = parser.parse("{\"prompt\":\"a \\ud83d\\ude00 cat \\u200f\"}");

    assertThat(r.prompt()).isEqualTo("a 😀 cat \u200f");
  }

  @Test
  void deeplyNestedJsonIsMalformedInputNotAServerFault() {
    String nested = "[".repeat(5000) + "]".repeat(5000);

    assertThatThrownBy(() -> parser.parse("{\"prompt\":" + nested + "}"))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("body"));
  }

  @Test
  void theParserAcceptsExactlyTheFieldsOfTheClientsSubmissionType() {
    assertThat(RenderRequestParser.FIELDS)
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(RenderSubmission.class.getRecordComponents())
                .map(c -> c.getName())
                .toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"tiktok,TikTok", "reels,Instagram Reels"})
  void aClipShorterThanItsPlatformAcceptsIsRefusedNamingThePresetsRule(
      String preset, String platform) {
    assertThatThrownBy(
            () ->
                parser.parse(
                    "{\"prompt\":\"x\",\"preset\":\"" + preset + "\",\"durationSeconds\":2.5}"))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(
            e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("durationSeconds"))
        .hasMessageContaining("preset " + preset + " needs at least 3 seconds")
        .hasMessageContaining(platform + " rejects shorter clips");
    assertThat(
            parser
                .parse("{\"prompt\":\"x\",\"preset\":\"" + preset + "\",\"durationSeconds\":3}")
                .durationSeconds())
        .isEqualTo(3.0);
  }

  @Test
  void presetsWithoutAMinimumAndTheDefaultPresetKeepTheOneSecondFloor() {
    assertThat(
            parser.parse("{\"prompt\":\"x\",\"preset\":\"shorts\",\"durationSeconds\":1}").preset())
        .isEqualTo(Preset.SHORTS);
    assertThat(parser.parse("{\"prompt\":\"x\",\"durationSeconds\":1}").preset())
        .isEqualTo(Preset.TIKTOK);
  }

  @Test
  void interpolationIsTheRequestsChoiceOrThePresets() {
    assertThat(parser.parse("{\"prompt\":\"x\"}").interpolation()).isNull();
    assertThat(parser.parse("{\"prompt\":\"x\",\"interpolation\":\"Motion\"}").interpolation())
        .isEqualTo(dev.reelfarm.schema.presets.Interpolation.MOTION);
    assertThatThrownBy(() -> parser.parse("{\"prompt\":\"x\",\"interpolation\":\"rife\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(
            e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("interpolation"))
        .hasMessageContaining("motion, blend, repeat");
  }

  @Test
  void aReviewIsKeyframesAndOnlyWithTheAnchoredModeOrNone() {
    assertThat(parser.parse("{\"prompt\":\"x\"}").review()).isNull();
    assertThat(parser.parse("{\"prompt\":\"x\",\"review\":\"keyframes\"}").review())
        .isEqualTo(dev.reelfarm.schema.api.ReviewMode.KEYFRAMES);
    assertThat(
            parser
                .parse("{\"prompt\":\"x\",\"review\":\"keyframes\",\"mode\":\"anchored\"}")
                .review())
        .isEqualTo(dev.reelfarm.schema.api.ReviewMode.KEYFRAMES);
    for (String body :
        java.util.List.of(
            "{\"prompt\":\"x\",\"review\":\"frames\"}",
            "{\"prompt\":\"x\",\"review\":1}",
            "{\"prompt\":\"x\",\"review\":\"keyframes\",\"mode\":\"sequential\"}",
            "{\"prompt\":\"x\",\"review\":\"keyframes\",\"mode\":\"independent\"}"))
      assertThatThrownBy(() -> parser.parse(body))
          .as(body)
          .isInstanceOf(InvalidRequestException.class)
          .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("review"));
  }
}
