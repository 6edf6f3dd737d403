package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalPromptTest {

  private static final ShapesWorld WORLD = ShapesWorldPainter.world();
  private static final String HEADER =
      "prompt\tobject_colour\tbackground_colour\tshape\tmotion\theld_out\tparaphrase";

  @Test
  void theProjectsPromptSetMeetsTheIssuesBar() throws IOException {
    Path file = null;
    for (Path dir = Path.of("").toAbsolutePath();
        dir != null && file == null;
        dir = dir.getParent()) {
      Path f = dir.resolve(EvalSettings.DEFAULT_PROMPTS);
      if (Files.isRegularFile(f)) file = f;
    }
    assertThat(file).as("prompts_eval.txt").isNotNull();
    List<EvalPrompt> prompts = EvalPrompt.parse(Files.readAllLines(file), WORLD);
    assertThat(prompts).hasSizeGreaterThanOrEqualTo(40);
    assertThat(prompts.stream().filter(EvalPrompt::heldOut).count()).isGreaterThanOrEqualTo(10);
    assertThat(prompts.stream().filter(EvalPrompt::paraphrase).count()).isGreaterThanOrEqualTo(10);
    for (String motion : ShapesWorld.MOTIONS) {
      assertThat(prompts).as(motion).anyMatch(p -> p.motion().equals(motion));
    }
  }

  @Test
  void commentsAndBlankLinesAreSkippedAndColumnsFoundByName() {
    List<EvalPrompt> prompts =
        EvalPrompt.parse(
            List.of(
                "# a comment",
                "",
                "shape\tprompt\tmotion\tobject_colour\tbackground_colour\tparaphrase\theld_out",
                "circle\ta red ball going left on blue\tleft\tRed\tblue\tfalse\ttrue"),
            WORLD);
    assertThat(prompts)
        .containsExactly(
            new EvalPrompt(
                "a red ball going left on blue", "red", "blue", "circle", "left", true, false));
  }

  @Test
  void aValueOutsideTheWorldNamesTheLineAndTheColumn() {
    assertThatThrownBy(
            () ->
                EvalPrompt.parse(
                    List.of(HEADER, "a pink circle\tpink\tblue\tcircle\tleft\tfalse\tfalse"),
                    WORLD))
        .hasMessageContaining("line 2")
        .hasMessageContaining("object_colour 'pink'");
    assertThatThrownBy(
            () ->
                EvalPrompt.parse(
                    List.of(HEADER, "a red hexagon\tred\tblue\thexagon\tleft\tfalse\tfalse"),
                    WORLD))
        .hasMessageContaining("shape 'hexagon'");
  }

  @Test
  void aMissingColumnIsNamed() {
    assertThatThrownBy(() -> EvalPrompt.parse(List.of("prompt\tshape", "x\tcircle"), WORLD))
        .hasMessageContaining("no column 'object_colour'");
  }
}
