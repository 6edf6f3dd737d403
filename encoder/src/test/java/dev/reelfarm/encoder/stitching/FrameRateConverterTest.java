package dev.reelfarm.encoder.stitching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reelfarm.encoder.stitching.FrameRateConverter.Interpolation;
import dev.reelfarm.encoder.stitching.FrameRateConverter.OutputFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameRateConverterTest {

  @Test
  void thirtyTwoNativeFramesAtEightFpsBecomeExactlyOneHundredTwentyAtThirty() {
    FrameRateConverter c = new FrameRateConverter(8, 30, 32);
    assertThat(c.outputFrames()).isEqualTo(120);
    assertThat(c.durationSeconds()).isEqualTo(4.0);
  }

  @Test
  void outputFrameCountKeepsTheDurationRounded() {
    assertThat(FrameRateConverter.outputFrameCount(16, 8, 30)).isEqualTo(60);
    assertThat(FrameRateConverter.outputFrameCount(33, 8, 30)).isEqualTo(124); // 123.75
    assertThat(FrameRateConverter.outputFrameCount(1, 8, 30)).isEqualTo(4); // 3.75
    assertThat(FrameRateConverter.outputFrameCount(48, 24, 30)).isEqualTo(60);
    assertThat(FrameRateConverter.outputFrameCount(3, 24, 30)).isEqualTo(4); // 3.75
    assertThat(FrameRateConverter.outputFrameCount(30, 30, 30)).isEqualTo(30);
  }

  @Test
  void linearOutputFramesBlendTheTwoNativeFramesAroundTheirInstant() {
    FrameRateConverter c = new FrameRateConverter(8, 30, 32);
    assertThat(c.frame(0)).isEqualTo(new OutputFrame(0, 0, 0, 0));
    OutputFrame f1 = c.frame(1); // t = 1/30 s = native 0.2667
    assertThat(f1.from()).isZero();
    assertThat(f1.to()).isEqualTo(1);
    assertThat(f1.weight()).isCloseTo(8 / 30.0, within(1e-12));
    OutputFrame f4 = c.frame(4); // native 1.0667
    assertThat(f4.from()).isEqualTo(1);
    assertThat(f4.to()).isEqualTo(2);
    assertThat(f4.weight()).isCloseTo(2 / 30.0, within(1e-12));
    assertThat(c.frame(15)).isEqualTo(new OutputFrame(15, 4, 4, 0)); // exactly native 4
    assertThat(c.frame(119)).isEqualTo(new OutputFrame(119, 31, 31, 0)); // 31.73: nothing after 31
  }

  @Test
  void everyNativeFrameIsShownAndTheMappingNeverGoesBack() {
    FrameRateConverter c = new FrameRateConverter(8, 30, 32);
    boolean[] used = new boolean[32];
    double previous = -1;
    for (int j = 0; j < c.outputFrames(); j++) {
      OutputFrame f = c.frame(j);
      double position = f.from() + f.weight();
      // Strictly forward, except that the last native frame is held to the end of its 1/8 s.
      if (f.from() < 31) assertThat(position).isGreaterThan(previous);
      else assertThat(position).isGreaterThanOrEqualTo(previous);
      previous = position;
      used[f.from()] = true;
      if (f.weight() > 0) used[f.to()] = true;
      assertThat(f.weight()).isBetween(0.0, 1.0);
    }
    for (boolean u : used) assertThat(u).isTrue();
  }

  @Test
  void nearestShowsTheNativeFrameClosestInTime() {
    FrameRateConverter c = new FrameRateConverter(8, 30, 32, Interpolation.NEAREST);
    assertThat(c.frame(1)).isEqualTo(new OutputFrame(1, 0, 0, 0)); // 0.27
    assertThat(c.frame(2)).isEqualTo(new OutputFrame(2, 1, 1, 0)); // 0.53
    assertThat(c.frame(119)).isEqualTo(new OutputFrame(119, 31, 31, 0));
  }

  @Test
  void firstOutputFrameOfANativeFrameLocatesChunkBoundariesInTheVideo() {
    FrameRateConverter c = new FrameRateConverter(8, 30, 32);
    assertThat(c.firstOutputFrameAtOrAfter(0)).isZero();
    assertThat(c.firstOutputFrameAtOrAfter(16)).isEqualTo(60);
    assertThat(c.firstOutputFrameAtOrAfter(1)).isEqualTo(4); // 3.75 → 4
    assertThat(c.firstOutputFrameAtOrAfter(32)).isEqualTo(120);
  }

  @Test
  void rejectsNonPositiveRatesAndLengths() {
    assertThatThrownBy(() -> new FrameRateConverter(0, 30, 32)).hasMessageContaining("native fps");
    assertThatThrownBy(() -> new FrameRateConverter(8, 30, 0))
        .hasMessageContaining("native frames");
    assertThatThrownBy(() -> new FrameRateConverter(8, 30, 32).frame(120))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  /**
   * The measurement behind the LINEAR default: a bright bar moving 8 px per native frame, converted
   * 8 → 30 fps; the per-output-frame step of its intensity centroid should be constant.
   */
  @Test
  void linearInterpolationMovesAtConstantSpeedWhileNearestStutters() {
    int width = 400;
    int n = 32;
    int speed = 8;
    List<byte[]> nativeFrames = new ArrayList<>();
    for (int g = 0; g < n; g++) {
      byte[] row = new byte[width];
      for (int x = 0; x < 16; x++) row[20 + speed * g + x] = (byte) 255;
      nativeFrames.add(row);
    }
    double[] linear =
        centroidSteps(new FrameRateConverter(8, 30, n, Interpolation.LINEAR), nativeFrames);
    double[] nearest =
        centroidSteps(new FrameRateConverter(8, 30, n, Interpolation.NEAREST), nativeFrames);
    System.out.printf(
        "centroid step per output frame, 8→30 fps, %d px/native frame: LINEAR mean %.3f sd %.3f; NEAREST mean %.3f sd %.3f%n",
        speed, mean(linear), sd(linear), mean(nearest), sd(nearest));
    assertThat(mean(linear)).isCloseTo(speed * 8 / 30.0, within(0.01));
    assertThat(sd(linear)).isLessThan(0.05);
    assertThat(sd(nearest)).isGreaterThan(3.0);
  }

  private static double[] centroidSteps(FrameRateConverter c, List<byte[]> frames) {
    int last = c.outputFrames() - 4; // the last native frame has no successor to move towards
    double[] steps = new double[last - 1];
    double previous = Double.NaN;
    byte[] mixed = new byte[frames.get(0).length];
    for (int j = 0; j < last; j++) {
      OutputFrame f = c.frame(j);
      FrameMixer.mix(frames.get(f.from()), frames.get(f.to()), f.weight(), mixed);
      double sum = 0;
      double weighted = 0;
      for (int x = 0; x < mixed.length; x++) {
        sum += mixed[x] & 0xff;
        weighted += x * (mixed[x] & 0xff);
      }
      double centroid = weighted / sum;
      if (j > 0) steps[j - 1] = centroid - previous;
      previous = centroid;
    }
    return steps;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) s += x;
    return s / v.length;
  }

  private static double sd(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return Math.sqrt(s / v.length);
  }
}
