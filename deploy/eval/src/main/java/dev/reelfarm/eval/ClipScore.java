package dev.reelfarm.eval;

/**
 * What {@link ShapesWorldScorer} read from a clip's pixels. Each attribute is a palette colour,
 * shape or motion name, or {@link ShapesWorldScorer#NONE} when the clip shows no object (or no
 * frames).
 *
 * @param objectFraction share of all pixels in the object's colour (0 when there is none)
 * @param fill median fill ratio of the object's box, or null without an object
 * @param vx horizontal speed in native pixels per native frame (+ is right), or null
 * @param vy vertical speed in native pixels per native frame (+ is down), or null
 * @param framesScored frames whose object mask counted for shape and motion
 */
public record ClipScore(
    String objectColour,
    String backgroundColour,
    String shape,
    String motion,
    double objectFraction,
    Double fill,
    Double vx,
    Double vy,
    int framesScored) {

  /** The attribute named as in prompts_eval.txt's columns. */
  public String get(Attribute attribute) {
    return switch (attribute) {
      case OBJECT_COLOUR -> objectColour;
      case BACKGROUND_COLOUR -> backgroundColour;
      case SHAPE -> shape;
      case MOTION -> motion;
    };
  }

  /** The four attributes the eval scores, in report order. */
  public enum Attribute {
    OBJECT_COLOUR("object_colour", "object"),
    BACKGROUND_COLOUR("background_colour", "background"),
    SHAPE("shape", "shape"),
    MOTION("motion", "motion");

    private final String column;
    private final String label;

    Attribute(String column, String label) {
      this.column = column;
      this.label = label;
    }

    /** The TSV column of the expected value. */
    public String column() {
      return column;
    }

    /** Short name for tables and JSON. */
    public String label() {
      return label;
    }
  }
}
