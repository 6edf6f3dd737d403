package dev.reelfarm.worker.diffusion;

/** How a sampler's sample mixes clean signal and unit noise: x = signalScale·x0 + noiseScale·ε. */
public record NoiseLevel(double signalScale, double noiseScale) {

  public double apply(double clean, double noise) {
    return signalScale * clean + noiseScale * noise;
  }
}
