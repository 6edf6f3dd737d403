package dev.reelfarm.worker.diffusion;

/**
 * Inference timesteps as diffusers' DDIMScheduler.set_timesteps picks them, noisiest first. The
 * float arithmetic mirrors numpy's (including round-half-to-even) so the integers match exactly.
 */
public final class Timesteps {

  private Timesteps() {}

  /** {@code steps} distinct timesteps in [0, T), strictly decreasing. */
  public static int[] spaced(SchedulerConfig config, int steps) {
    int trainSteps = config.numTrainTimesteps();
    requireStepCount(trainSteps, steps);
    int[] timesteps = new int[steps];
    switch (config.timestepSpacing()) {
      case LEADING -> {
        int stride = trainSteps / steps;
        for (int i = 0; i < steps; i++) {
          timesteps[i] = (steps - 1 - i) * stride + config.stepsOffset();
        }
      }
      case TRAILING -> {
        // numpy.arange(T, 0, -T/steps) computes T + i·delta with delta = (T − T/steps) − T; it can
        // also return one extra element near 0 (61 steps over 1000 give a timestep of −1), which
        // is a diffusers bug not reproduced here: exactly `steps` values are kept.
        double stride = (double) trainSteps / steps;
        double delta = (trainSteps - stride) - trainSteps;
        for (int i = 0; i < steps; i++) {
          timesteps[i] = (int) Math.rint(trainSteps + i * delta) - 1;
        }
      }
      case LINSPACE -> {
        double[] descending = descendingLinspace(trainSteps, steps);
        for (int i = 0; i < steps; i++) {
          timesteps[i] = (int) Math.rint(descending[i]);
        }
      }
    }
    requireWithinTraining(timesteps, trainSteps);
    return timesteps;
  }

  /** numpy.linspace(0, T − 1, steps) reversed, unrounded. */
  static double[] descendingLinspace(int trainSteps, int steps) {
    requireStepCount(trainSteps, steps);
    double[] values = new double[steps];
    double stride = steps > 1 ? (trainSteps - 1.0) / (steps - 1) : 0.0;
    for (int i = 0; i < steps; i++) {
      values[steps - 1 - i] = i * stride;
    }
    if (steps > 1) {
      values[0] = trainSteps - 1.0;
    }
    return values;
  }

  private static void requireStepCount(int trainSteps, int steps) {
    if (steps < 1 || steps > trainSteps) {
      throw new IllegalArgumentException(
          "steps must be in [1, " + trainSteps + "] for this schedule: " + steps);
    }
  }

  private static void requireWithinTraining(int[] timesteps, int trainSteps) {
    for (int t : timesteps) {
      if (t < 0 || t >= trainSteps) {
        throw new IllegalArgumentException(
            "timestep " + t + " outside [0, " + trainSteps + "): lower steps or stepsOffset");
      }
    }
  }
}
