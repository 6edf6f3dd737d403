package dev.reelfarm.eval;

import dev.reelfarm.eval.ClipScore.Attribute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the eval prompt set ({@code models/training/prompts_eval.txt}): the prompt and what a
 * clip rendered from it must show.
 *
 * @param heldOut the (object colour, shape, background colour) triple never appears in training
 * @param paraphrase a seen combination in a wording the training captions never use
 */
public record EvalPrompt(
    String prompt,
    String objectColour,
    String backgroundColour,
    String shape,
    String motion,
    boolean heldOut,
    boolean paraphrase) {

  private static final List<String> COLUMNS =
      List.of(
          "prompt",
          "object_colour",
          "background_colour",
          "shape",
          "motion",
          "held_out",
          "paraphrase");

  /** The expected value of an attribute. */
  public String expected(Attribute attribute) {
    return switch (attribute) {
      case OBJECT_COLOUR -> objectColour;
      case BACKGROUND_COLOUR -> backgroundColour;
      case SHAPE -> shape;
      case MOTION -> motion;
    };
  }

  /**
   * Parses the TSV: {@code #} lines and blank lines are comments, the first other line is the
   * header (columns found by name, in any order), every value is checked against the world.
   *
   * @throws IllegalArgumentException naming the line and the rule broken
   */
  public static List<EvalPrompt> parse(List<String> lines, ShapesWorld world) {
    Map<String, Integer> header = null;
    var prompts = new ArrayList<EvalPrompt>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] cells = line.split("\t", -1);
      int lineNumber = i + 1;
      if (header == null) {
        header = new HashMap<>();
        for (int c = 0; c < cells.length; c++) {
          header.put(cells[c].strip().toLowerCase(Locale.ROOT), c);
        }
        for (String column : COLUMNS) {
          if (!header.containsKey(column)) {
            throw new IllegalArgumentException(
                "line " + lineNumber + ": the header has no column '" + column + "'");
          }
        }
        continue;
      }
      Map<String, Integer> h = header;
      java.util.function.Function<String, String> cell =
          column -> {
            int c = h.get(column);
            if (c >= cells.length) {
              throw new IllegalArgumentException(
                  "line " + lineNumber + ": no value for '" + column + "'");
            }
            return cells[c].strip();
          };
      String prompt = cell.apply("prompt");
      if (prompt.isEmpty())
        throw new IllegalArgumentException("line " + lineNumber + ": empty prompt");
      String object =
          oneOf(cell.apply("object_colour"), world.colourNames(), "object_colour", lineNumber);
      String background =
          oneOf(
              cell.apply("background_colour"),
              world.colourNames(),
              "background_colour",
              lineNumber);
      String shape = oneOf(cell.apply("shape"), ShapesWorld.SHAPES, "shape", lineNumber);
      String motion = oneOf(cell.apply("motion"), ShapesWorld.MOTIONS, "motion", lineNumber);
      prompts.add(
          new EvalPrompt(
              prompt,
              object,
              background,
              shape,
              motion,
              bool(cell.apply("held_out"), "held_out", lineNumber),
              bool(cell.apply("paraphrase"), "paraphrase", lineNumber)));
    }
    if (prompts.isEmpty())
      throw new IllegalArgumentException("no prompts (only a header or comments)");
    return prompts;
  }

  private static String oneOf(String value, List<String> allowed, String column, int line) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(
          "line " + line + ": " + column + " '" + value + "' is not one of " + allowed);
    }
    return v;
  }

  private static boolean bool(String value, String column, int line) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0", "" -> false;
      default ->
          throw new IllegalArgumentException(
              "line " + line + ": " + column + " must be true or false, got '" + value + "'");
    };
  }
}
