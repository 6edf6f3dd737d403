package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class EvalPromptTest {

  private static final ShapesWorld WORLD = ShapesWorldPainter.world();
  private static final String HEADER =
      "prompt\tobject_colour\tbackground_colour\tshape\tmotion\theld_out\tparaphrase";

  private static final String HELD_OUT_WORDINGS = "models/training/prompts_heldout.txt";

  @Test
  void theProjectsPromptSetMeetsTheIssuesBar() throws IOException {
    List<EvalPrompt> prompts =
        EvalPrompt.parse(Files.readAllLines(inRepo(EvalSettings.DEFAULT_PROMPTS)), WORLD);
    assertThat(prompts).hasSizeGreaterThanOrEqualTo(40);
    assertThat(prompts.stream().filter(EvalPrompt::heldOut).count()).isGreaterThanOrEqualTo(10);
    assertThat(prompts.stream().filter(EvalPrompt::paraphrase).count()).isGreaterThanOrEqualTo(10);
    for (String motion : ShapesWorld.MOTIONS) {
      assertThat(prompts).as(motion).anyMatch(p -> p.motion().equals(motion));
    }
  }

  @Test
  void theHeldOutWordingSetHasThirtyFreshPromptsCoveringTheWholeWorld() throws IOException {
    List<EvalPrompt> heldOut =
        EvalPrompt.parse(Files.readAllLines(inRepo(HELD_OUT_WORDINGS)), WORLD);
    List<String> evalWordings =
        EvalPrompt.parse(Files.readAllLines(inRepo(EvalSettings.DEFAULT_PROMPTS)), WORLD).stream()
            .map(p -> p.prompt().toLowerCase(Locale.ROOT))
            .toList();
    assertThat(heldOut).hasSizeGreaterThanOrEqualTo(30).allMatch(EvalPrompt::paraphrase);
    assertThat(heldOut).noneMatch(p -> evalWordings.contains(p.prompt().toLowerCase(Locale.ROOT)));
    for (String motion : ShapesWorld.MOTIONS) {
      assertThat(heldOut).as(motion).anyMatch(p -> p.motion().equals(motion));
    }
    for (String colour : WORLD.colourNames()) {
      assertThat(heldOut).as(colour).anyMatch(p -> p.objectColour().equals(colour));
      assertThat(heldOut).as(colour).anyMatch(p -> p.backgroundColour().equals(colour));
    }
  }

  private static Path inRepo(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path f = dir.resolve(relative);
      if (Files.isRegularFile(f)) return f;
    }
    throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
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
