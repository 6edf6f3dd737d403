package dev.reelfarm.orchestrator.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.schema.api.RenderSubmission;
import dev.reelfarm.schema.presets.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RenderRequestParserTest {
  private final RenderRequestParser parser =
      new RenderRequestParser(new ObjectMapper(), 25, 5.0, () -> 42L);

  @Test
  void absentOptionalFieldsTakeTheModelsDefaults() {
    RenderRequest r = parser.parse("{\"prompt\":\"a red circle\"}");

    assertThat(r.durationSeconds()).isEqualTo(4.0);
    assertThat(r.preset()).isEqualTo(Preset.TIKTOK);
    assertThat(r.steps()).isEqualTo(25);
    assertThat(r.guidanceScale()).isEqualTo(5.0);
    assertThat(r.seed()).isEqualTo(42L);
    assertThat(r.mode()).as("the planner picks the mode").isNull();
  }

  @Test
  void seedAcceptsNumbersAndDecimalStringsBeyondDoublePrecision() {
    assertThat(parser.parse("{\"prompt\":\"x\",\"seed\":7}").seed()).isEqualTo(7L);
    assertThat(parser.parse("{\"prompt\":\"x\",\"seed\":\"9007199254740993\"}").seed())
        .isEqualTo(9007199254740993L);
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
      })
  void badInputNamesTheField(String body, String field) {
    assertThatThrownBy(() -> parser.parse(body))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo(field));
  }

  @Test
  void theParserAcceptsExactlyTheFieldsOfTheClientsSubmissionType() {
    assertThat(RenderRequestParser.FIELDS)
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(RenderSubmission.class.getRecordComponents())
                .map(c -> c.getName())
                .toArray(String[]::new));
  }
}
