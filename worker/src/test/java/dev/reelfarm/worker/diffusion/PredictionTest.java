package dev.reelfarm.worker.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PredictionTest {

  private static final double CLEAN = 0.7;
  private static final double NOISE = -1.3;
  private static final double ALPHA_BAR = 0.3;

  @ParameterizedTest
  @EnumSource(PredictionType.class)
  void eachTypeRecoversCleanSampleAndNoiseFromItsOwnTarget(PredictionType type) {
    double signal = Math.sqrt(ALPHA_BAR);
    double noiseScale = Math.sqrt(1 - ALPHA_BAR);
    double sample = signal * CLEAN + noiseScale * NOISE;
    double target =
        switch (type) {
          case EPSILON -> NOISE;
          case V_PREDICTION -> signal * NOISE - noiseScale * CLEAN;
          case SAMPLE -> CLEAN;
          case FLOW_PREDICTION -> NOISE - CLEAN;
        };

    Prediction prediction = Prediction.of(type, ALPHA_BAR);

    assertThat(prediction.originalSample(target, sample)).isCloseTo(CLEAN, within(1e-12));
    assertThat(prediction.noise(target, sample)).isCloseTo(NOISE, within(1e-12));
  }

  @Test
  void flowVelocityIsReadAgainstTheFlowSampleOfTheSameSignalToNoiseRatio() {
    // ᾱ = 0.5 is flow σ = 0.5: the model saw x_flow = 0.5·x0 + 0.5·ε = x_vp / √2.
    double sampleVp = Math.sqrt(0.5) * CLEAN + Math.sqrt(0.5) * NOISE;
    Prediction prediction = Prediction.of(PredictionType.FLOW_PREDICTION, 0.5);

    assertThat(prediction.originalSample(NOISE - CLEAN, sampleVp)).isCloseTo(CLEAN, within(1e-12));
    assertThat(SampleSpace.flowSigma(0.5)).isCloseTo(0.5, within(1e-15));
    assertThat(SampleSpace.alphaBarOfFlowSigma(0.25)).isCloseTo(0.9, within(1e-15));
  }

  @Test
  void velocityIsReadAgainstTheSample() {
    // ᾱ = 0.25: x0 = 0.5·x − √0.75·v, ε = 0.5·v + √0.75·x, with x = 1, v = 0.2
    Prediction prediction = Prediction.of(PredictionType.V_PREDICTION, 0.25);

    assertThat(prediction.originalSample(0.2, 1.0)).isCloseTo(0.3267949192431123, within(1e-12));
    assertThat(prediction.noise(0.2, 1.0)).isCloseTo(0.9660254037844386, within(1e-12));
  }
}
