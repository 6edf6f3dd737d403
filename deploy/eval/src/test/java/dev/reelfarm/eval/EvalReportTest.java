package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelfarm.eval.ClipScore.Attribute;
import dev.reelfarm.eval.EvalReport.Group;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalReportTest {

  private static final EvalPrompt HELD_OUT =
      new EvalPrompt(
          "a red circle moving left on a blue background",
          "red",
          "blue",
          "circle",
          "left",
          true,
          false);
  private static final EvalPrompt PARAPHRASE =
      new EvalPrompt(
          "on blue, a yellow block floats upward", "yellow", "blue", "square", "up", false, true);
  private static final EvalPrompt SEEN =
      new EvalPrompt(
          "a green triangle falling on a white background",
          "green",
          "white",
          "triangle",
          "down",
          false,
          false);

  private static ClipScore score(String object, String background, String shape, String motion) {
    return new ClipScore(object, background, shape, motion, 0.12, 0.8, -1.0, 0.0, 16);
  }

  private static final EvalReport REPORT =
      new EvalReport(
          List.of(
              new EvalResult(
                  0,
                  HELD_OUT,
                  "j1",
                  1L,
                  1L,
                  "SUCCEEDED",
                  score("red", "blue", "circle", "left"),
                  null,
                  "videos/001.mp4"),
              new EvalResult(
                  1,
                  PARAPHRASE,
                  "j2",
                  2L,
                  1L,
                  "SUCCEEDED",
                  score("yellow", "blue", "circle", "still"),
                  null,
                  "videos/002.mp4"),
              new EvalResult(
                  2, SEEN, "j3", 3L, 1L, "FAILED", null, "worker ran out of memory", null)));

  /** The held-out prompt twice more, from seed base 101: right once, its colours swapped once. */
  private static final EvalReport REPEATED =
      new EvalReport(
          List.of(
              REPORT.results().get(0),
              new EvalResult(
                  1,
                  HELD_OUT,
                  "j4",
                  101L,
                  101L,
                  "SUCCEEDED",
                  score("red", "blue", "circle", "left"),
                  null,
                  "videos/002.mp4"),
              new EvalResult(
                  2,
                  HELD_OUT,
                  "j5",
                  102L,
                  101L,
                  "SUCCEEDED",
                  score("blue", "red", "circle", "left"),
                  null,
                  "videos/003.mp4")));

  @Test
  void accuracyIsPerAttributeAndGroupWithUnscoredClipsWrong() {
    var accuracy = REPORT.accuracy();
    assertThat(accuracy.keySet())
        .containsExactly(Group.ALL, Group.HELD_OUT, Group.PARAPHRASE, Group.SEEN);
    var all = accuracy.get(Group.ALL);
    assertThat(all.prompts()).isEqualTo(3);
    assertThat(all.correct().get(Attribute.OBJECT_COLOUR)).isEqualTo(2);
    assertThat(all.correct().get(Attribute.SHAPE)).isEqualTo(1);
    assertThat(all.allFour()).isEqualTo(1);
    assertThat(accuracy.get(Group.HELD_OUT).allFourRate()).isEqualTo(1.0);
    assertThat(accuracy.get(Group.PARAPHRASE).of(Attribute.BACKGROUND_COLOUR)).isEqualTo(1.0);
    assertThat(accuracy.get(Group.PARAPHRASE).of(Attribute.MOTION)).isEqualTo(0.0);
    assertThat(accuracy.get(Group.SEEN).of(Attribute.OBJECT_COLOUR)).isEqualTo(0.0);
  }

  @Test
  void tableShowsExpectedAgainstFoundWithMarks() {
    String table = REPORT.table();
    assertThat(table).contains("red ✓").contains("square→circle ✗").contains("up→still ✗");
    assertThat(table).contains("green→- ✗").contains("FAILED: worker ran out of memory");
    assertThat(table).contains("all (3)").contains("0.67 (2/3)").contains("held-out (1)");
  }

  @Test
  void tsvHasOneRowPerPromptAndAFixedNumberOfColumns() {
    List<String> lines = REPORT.tsv().lines().toList();
    assertThat(lines).hasSize(4);
    int columns = lines.get(0).split("\t", -1).length;
    for (String line : lines) assertThat(line.split("\t", -1)).hasSize(columns);
    assertThat(lines.get(3)).contains("\tFAILED\t").contains(EvalResult.NOT_SCORED);
  }

  @Test
  void summaryCarriesTheRunAndTheAccuracies() {
    var json = new ObjectMapper();
    ObjectNode run = json.createObjectNode().put("model", "tiny-shapes");
    ObjectNode summary = REPORT.summary(json, run);
    assertThat(summary.at("/run/model").asText()).isEqualTo("tiny-shapes");
    assertThat(summary.at("/scored").asInt()).isEqualTo(2);
    assertThat(summary.at("/unscored/0/status").asText()).isEqualTo("FAILED");
    assertThat(summary.at("/accuracy/all/object").asDouble()).isEqualTo(0.6667);
    assertThat(summary.at("/accuracy/held-out/correct/allFour").asInt()).isEqualTo(1);
  }

  @Test
  void oneSeedBaseHasNoPerSeedBaseLines() {
    assertThat(REPORT.accuracyBySeedBase()).isEmpty();
    assertThat(REPORT.table()).doesNotContain("seed base");
    assertThat(
            REPORT
                .summary(new ObjectMapper(), new ObjectMapper().createObjectNode())
                .has("accuracyBySeedBase"))
        .isFalse();
  }

  @Test
  void repeatsArePooledWithALinePerSeedBase() {
    var all = REPEATED.accuracy().get(Group.ALL);
    assertThat(all.prompts()).isEqualTo(3);
    assertThat(all.correct().get(Attribute.OBJECT_COLOUR)).isEqualTo(2);
    var bySeedBase = REPEATED.accuracyBySeedBase();
    assertThat(bySeedBase.keySet()).containsExactly(1L, 101L);
    assertThat(bySeedBase.get(1L).of(Attribute.OBJECT_COLOUR)).isEqualTo(1.0);
    assertThat(bySeedBase.get(101L).prompts()).isEqualTo(2);
    assertThat(bySeedBase.get(101L).of(Attribute.BACKGROUND_COLOUR)).isEqualTo(0.5);
    assertThat(REPEATED.table())
        .contains("all (3)")
        .contains("seed base 1 (1)")
        .contains("seed base 101 (2)")
        .contains("0.50 (1/2)");
    var json = new ObjectMapper();
    ObjectNode summary = REPEATED.summary(json, json.createObjectNode());
    assertThat(summary.at("/accuracy/all/object").asDouble()).isEqualTo(0.6667);
    assertThat(summary.at("/accuracyBySeedBase/101/object").asDouble()).isEqualTo(0.5);
    assertThat(summary.at("/accuracyBySeedBase/1/correct/allFour").asInt()).isEqualTo(1);
    List<String> rows = REPEATED.tsv().lines().toList();
    assertThat(rows.get(0)).endsWith("\tseed_base");
    assertThat(rows.get(3)).endsWith("\t101");
  }
}
