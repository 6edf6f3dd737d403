package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelfarm.eval.ShapesWorldPainter.Scene;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesWorldScorerTest {

  private static final ShapesWorld WORLD = ShapesWorldPainter.world();
  private static final ShapesWorldPainter PAINTER = new ShapesWorldPainter(WORLD);
  private static final ShapesWorldScorer SCORER = new ShapesWorldScorer(WORLD);
  private static final List<String> COLOURS = WORLD.colourNames();

  /** A scene moving at {@code speed} native px per frame, centred on its path through the frame. */
  private static Scene moving(Scene s, String motion, double speed, int frames) {
    double vx = 0;
    double vy = 0;
    switch (motion) {
      case "left" -> vx = -speed;
      case "right" -> vx = speed;
      case "up" -> vy = -speed;
      case "down" -> vy = speed;
      default -> {}
    }
    return s.moving(vx, vy).at(32 - vx * (frames - 1) / 2, 56 - vy * (frames - 1) / 2);
  }

  @Test
  void everyObjectColourIsRecognisedOnEveryOtherBackground() {
    for (String object : COLOURS) {
      for (String background : COLOURS) {
        if (object.equals(background)) continue;
        ClipScore score = SCORER.score(PAINTER.paint(Scene.of(object, background, "circle"), 4));
        assertThat(score.objectColour()).as(object + " on " + background).isEqualTo(object);
        assertThat(score.backgroundColour()).as(object + " on " + background).isEqualTo(background);
      }
    }
  }

  @Test
  void gradientBackgroundsAreScoredAsTheColourTheCaptionNames() {
    for (String background : COLOURS) {
      String object = background.equals("white") ? "black" : "white";
      for (double angle = 0; angle < 2 * Math.PI; angle += Math.PI / 4) {
        Scene scene = Scene.of(object, background, "square").gradient(angle);
        ClipScore score = SCORER.score(PAINTER.paint(scene, 4));
        assertThat(score.backgroundColour()).as(background + " at " + angle).isEqualTo(background);
        assertThat(score.objectColour()).as(background + " at " + angle).isEqualTo(object);
        assertThat(score.shape()).as(background + " at " + angle).isEqualTo("square");
      }
    }
  }

  @Test
  void everyShapeIsRecognisedAtTheWorldsSmallestAndLargestSizes() {
    for (String shape : ShapesWorld.SHAPES) {
      for (double area : new double[] {0.10, 0.13, 0.16}) {
        for (double x = 28; x <= 36; x += 2.7) {
          Scene scene = Scene.of("red", "blue", shape).area(area).at(x, 50 + x / 3);
          ClipScore score = SCORER.score(PAINTER.paint(scene, 2));
          assertThat(score.shape()).as(shape + " area " + area + " x " + x).isEqualTo(shape);
        }
      }
    }
  }

  @Test
  void fillRatiosSitBetweenTheThresholds() {
    double square = fill("square");
    double circle = fill("circle");
    double triangle = fill("triangle");
    assertThat(square).isGreaterThan(WORLD.fillSquareMin());
    assertThat(circle).isStrictlyBetween(WORLD.fillTriangleMax(), WORLD.fillSquareMin());
    assertThat(triangle).isLessThan(WORLD.fillTriangleMax());
  }

  private static double fill(String shape) {
    return SCORER.score(PAINTER.paint(Scene.of("green", "purple", shape), 1)).fill();
  }

  @Test
  void everyMotionIsRecognisedAtTheWorldsSlowestAndFastestSpeeds() {
    for (String motion : ShapesWorld.MOTIONS) {
      for (String shape : ShapesWorld.SHAPES) {
        for (double speed : new double[] {1.0, 2.0}) {
          Scene scene = moving(Scene.of("yellow", "black", shape), motion, speed, 8);
          ClipScore score = SCORER.score(PAINTER.paint(scene, 8));
          assertThat(score.motion()).as(motion + " " + shape + " at " + speed).isEqualTo(motion);
          assertThat(score.shape()).as(motion + " " + shape + " at " + speed).isEqualTo(shape);
        }
      }
    }
  }

  @Test
  void speedsAreInNativePixelsPerNativeFrame() {
    Scene scene = moving(Scene.of("orange", "green", "square"), "down", 1.5, 8);
    ClipScore score = SCORER.score(PAINTER.paint(scene, 8));
    assertThat(score.vy()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.05));
    assertThat(score.vx()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void driftBelowTheStillThresholdIsStill() {
    double slow = WORLD.stillMaxSpeed() * 0.5;
    Scene scene = moving(Scene.of("white", "red", "circle"), "right", slow, 8);
    assertThat(SCORER.score(PAINTER.paint(scene, 8)).motion()).isEqualTo("still");
  }

  @Test
  void framesTakenAtOtherInstantsAreTimedInNativeFrames() {
    // Every other native frame, shown at t = 0, 2, 4, 6: still 1 px per native frame.
    List<RgbFrame> all =
        PAINTER.paint(moving(Scene.of("blue", "white", "circle"), "left", 1, 8), 8);
    List<RgbFrame> even = List.of(all.get(0), all.get(2), all.get(4), all.get(6));
    ClipScore score = SCORER.score(even, new double[] {0, 2, 4, 6});
    assertThat(score.motion()).isEqualTo("left");
    assertThat(score.vx()).isCloseTo(-1.0, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void aClipWithoutAnObjectReportsNoneRatherThanCrashing() {
    Scene empty = new Scene(null, "green", "circle", 0.13, 32, 56, 0, 0, null);
    ClipScore score = SCORER.score(PAINTER.paint(empty, 4));
    assertThat(score.backgroundColour()).isEqualTo("green");
    assertThat(score.objectColour()).isEqualTo(ShapesWorldScorer.NONE);
    assertThat(score.shape()).isEqualTo(ShapesWorldScorer.NONE);
    assertThat(score.motion()).isEqualTo(ShapesWorldScorer.NONE);
    assertThat(score.fill()).isNull();
  }

  @Test
  void anObjectUnderTwoPercentOfTheFrameIsNone() {
    ClipScore score = SCORER.score(PAINTER.paint(Scene.of("red", "white", "square").area(0.01), 4));
    assertThat(score.objectColour()).isEqualTo(ShapesWorldScorer.NONE);
    assertThat(score.backgroundColour()).isEqualTo("white");
  }

  @Test
  void noFramesAtAllIsNoneEverywhere() {
    ClipScore score = SCORER.score(List.of());
    assertThat(
            List.of(score.objectColour(), score.backgroundColour(), score.shape(), score.motion()))
        .containsOnly(ShapesWorldScorer.NONE);
  }

  @Test
  void aSingleFrameHasAShapeButNoMotion() {
    ClipScore score = SCORER.score(PAINTER.paint(Scene.of("purple", "yellow", "triangle"), 1));
    assertThat(score.shape()).isEqualTo("triangle");
    assertThat(score.motion()).isEqualTo(ShapesWorldScorer.NONE);
  }

  @Test
  void anObjectLeavingTheFrameIsScoredOnTheFramesWhereItIsWhole() {
    // Starts whole near the right edge, then is cut by it and finally mostly gone (4 s at 8 fps).
    Scene scene = Scene.of("green", "black", "square").at(40, 56).moving(2, 0);
    ClipScore score = SCORER.score(PAINTER.paint(scene, 24));
    assertThat(score.motion()).isEqualTo("right");
    assertThat(score.shape()).isEqualTo("square");
  }

  @Test
  void aClipUpscaledToThePresetScoresLikeTheNativeClip() {
    // The farm's MP4 is the native clip stretched to 1080x1920; the scorer averages it back.
    for (String shape : ShapesWorld.SHAPES) {
      Scene scene = moving(Scene.of("red", "green", shape).gradient(1.0), "up", 1.2, 4);
      List<RgbFrame> upscaled = new ArrayList<>();
      for (RgbFrame f : PAINTER.paint(scene, 4))
        upscaled.add(ShapesWorldPainter.upscale(f, 1080, 1920));
      ClipScore score = SCORER.score(upscaled);
      assertThat(score.objectColour()).isEqualTo("red");
      assertThat(score.backgroundColour()).isEqualTo("green");
      assertThat(score.shape()).as(shape).isEqualTo(shape);
      assertThat(score.motion()).isEqualTo("up");
    }
  }

  @Test
  void percentilesInterpolateLikeNumpy() {
    // Values 0,1,2,3 (one each) and 0,0,...: numpy.percentile([0,1,2,3], [2, 98]) = 0.06, 2.94.
    int[] histogram = {1, 1, 1, 1};
    assertThat(ShapesWorldScorer.percentile(histogram, 4, 2))
        .isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ShapesWorldScorer.percentile(histogram, 4, 98))
        .isCloseTo(2.94, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(ShapesWorldScorer.percentile(new int[] {0, 5, 0, 2}, 7, 50)).isEqualTo(1.0);
    assertThat(ShapesWorldScorer.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
