package dev.reelfarm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The procedural "shapes world" the default model is trained on, as {@code
 * models/training/palette.json} describes it (written by {@code shapes_world.py} and {@code
 * evaluate.py}, the single source of truth): the eight colours, the native frame, the gradient rule
 * and the scoring thresholds of {@code models/README.md} §4.
 *
 * @param colourNames the palette's colour names, in file order (ties in nearest-colour go to the
 *     first)
 * @param colours RGB 0..255 of each colour, same order
 * @param width native frame width in pixels (64)
 * @param height native frame height in pixels (112)
 * @param gradientAmount how far a gradient background's far end is blended towards black or white
 * @param gradientTowards per colour, "black" or "white": the blend target of its gradient
 * @param borderRing width in pixels of the frame border whose majority colour is the background
 * @param minObjectFraction share of all pixels the object colour must cover, else "none"
 * @param edgePixelsForCut mask pixels on the outermost ring from which a frame counts as cut
 * @param fillPercentileLow lower percentile of the mask's x and y spanning the fill box (2)
 * @param fillPercentileHigh upper percentile (98)
 * @param fillTriangleMax fill ratio below which the shape is a triangle
 * @param fillSquareMin fill ratio above which the shape is a square (circle in between)
 * @param stillMaxSpeed native pixels per native frame below which, on both axes, the object is
 *     still
 */
public record ShapesWorld(
    List<String> colourNames,
    List<int[]> colours,
    int width,
    int height,
    double gradientAmount,
    Map<String, String> gradientTowards,
    int borderRing,
    double minObjectFraction,
    int edgePixelsForCut,
    double fillPercentileLow,
    double fillPercentileHigh,
    double fillTriangleMax,
    double fillSquareMin,
    double stillMaxSpeed) {

  public static final List<String> SHAPES = List.of("circle", "square", "triangle");
  public static final List<String> MOTIONS = List.of("left", "right", "up", "down", "still");

  public ShapesWorld {
    colourNames = List.copyOf(colourNames);
    colours = List.copyOf(colours);
    gradientTowards = Map.copyOf(gradientTowards);
    if (colourNames.size() != colours.size() || colourNames.size() < 2) {
      throw new IllegalArgumentException("need at least two colours, each with an RGB triple");
    }
    if (width < 8 || height < 8) {
      throw new IllegalArgumentException("frame " + width + "x" + height + " is too small");
    }
  }

  /**
   * Reads palette.json's tree.
   *
   * @throws IllegalArgumentException naming the first missing or malformed field
   */
  public static ShapesWorld fromJson(JsonNode root) {
    JsonNode colours = required(root, "colours");
    var names = new ArrayList<String>();
    var rgbs = new ArrayList<int[]>();
    colours
        .properties()
        .forEach(
            e -> {
              JsonNode v = e.getValue();
              if (!v.isArray() || v.size() != 3) {
                throw new IllegalArgumentException(
                    "palette.json: colours." + e.getKey() + " must be [r, g, b]");
              }
              int[] rgb = new int[3];
              for (int i = 0; i < 3; i++) {
                rgb[i] = v.get(i).asInt(-1);
                if (rgb[i] < 0 || rgb[i] > 255) {
                  throw new IllegalArgumentException(
                      "palette.json: colours." + e.getKey() + " must hold 0..255 values");
                }
              }
              names.add(e.getKey());
              rgbs.add(rgb);
            });
    JsonNode frame = required(root, "frame");
    JsonNode gradient = required(root, "gradient");
    var towards = new LinkedHashMap<String, String>();
    required(gradient, "towards")
        .properties()
        .forEach(e -> towards.put(e.getKey(), e.getValue().asText()));
    JsonNode scoring = required(root, "scoring");
    JsonNode percentiles = required(scoring, "fillBoxPercentiles");
    if (!percentiles.isArray() || percentiles.size() != 2) {
      throw new IllegalArgumentException(
          "palette.json: scoring.fillBoxPercentiles must be [lo, hi]");
    }
    return new ShapesWorld(
        names,
        rgbs,
        required(frame, "width").asInt(),
        required(frame, "height").asInt(),
        required(gradient, "amount").asDouble(),
        towards,
        required(scoring, "borderRingPixels").asInt(),
        required(scoring, "minObjectFraction").asDouble(),
        required(scoring, "edgePixelsForCut").asInt(),
        percentiles.get(0).asDouble(),
        percentiles.get(1).asDouble(),
        required(scoring, "fillTriangleMax").asDouble(),
        required(scoring, "fillSquareMin").asDouble(),
        required(scoring, "stillMaxSpeedPixelsPerFrame").asDouble());
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("palette.json: missing field '" + field + "'");
    }
    return v;
  }

  public boolean isColour(String name) {
    return colourNames.contains(name);
  }

  /** RGB 0..255 of a palette colour. */
  public int[] rgb(String name) {
    int i = colourNames.indexOf(name);
    if (i < 0) throw new IllegalArgumentException("not a palette colour: " + name);
    return colours.get(i).clone();
  }

  /** Index of the palette colour nearest to an RGB value (squared Euclidean distance, 0..255). */
  int nearest(int r, int g, int b) {
    int best = 0;
    int bestDistance = Integer.MAX_VALUE;
    for (int i = 0; i < colours.size(); i++) {
      int[] c = colours.get(i);
      int dr = r - c[0];
      int dg = g - c[1];
      int db = b - c[2];
      int d = dr * dr + dg * dg + db * db;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
    return best;
  }
}
