package dev.reelfarm.worker.diffusion;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The registry of samplers: each algorithm with the names {@code reelfarm.worker.sampler} accepts
 * (the first is its canonical name) and its factory. The DDPM samplers work from any beta-schedule
 * {@link SchedulerConfig} (diffusers' {@code from_config}), so they are interchangeable for a
 * bundle of a DDPM-trained model; a flow-matching model ({@link PredictionType#FLOW_PREDICTION})
 * has no betas and runs with flow-matching Euler only, as diffusers'
 * FlowMatchEulerDiscreteScheduler has no compatibles. A new sampler joins the worker, the contract
 * test and the golden test by being listed here.
 */
public enum SamplerAlgorithm {
  DDIM(DdimSampler::new, "ddim"),
  EULER(EulerSampler::new, "euler"),
  DPM_SOLVER_PLUS_PLUS_2M(DpmSolverPlusPlus2MSampler::new, "dpm++2m", "dpmsolver++"),
  FLOW_MATCH_EULER(FlowMatchEulerSampler::new, "flow-euler", "flowmatch-euler");

  private final Function<SchedulerConfig, Sampler> factory;
  private final List<String> names;

  SamplerAlgorithm(Function<SchedulerConfig, Sampler> factory, String... names) {
    this.factory = factory;
    this.names = List.of(names);
  }

  /** The sampler for a bundle's scheduler config. */
  public Sampler create(SchedulerConfig config) {
    return factory.apply(config);
  }

  /** Whether this algorithm can sample the model {@code config} describes. */
  public boolean accepts(SchedulerConfig config) {
    boolean flowModel = config.predictionType() == PredictionType.FLOW_PREDICTION;
    return (this == FLOW_MATCH_EULER) == flowModel;
  }

  /**
   * The sampler a bundle gets when the worker is not told one: DDIM for a DDPM-trained model,
   * flow-matching Euler for a flow-matching one.
   */
  public static SamplerAlgorithm defaultFor(SchedulerConfig config) {
    return config.predictionType() == PredictionType.FLOW_PREDICTION ? FLOW_MATCH_EULER : DDIM;
  }

  /** The canonical name, as written in configuration. */
  public String canonicalName() {
    return names.get(0);
  }

  /** Every name this algorithm answers to, canonical first. */
  public List<String> names() {
    return names;
  }

  /**
   * The algorithm called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SamplerAlgorithm named(String name) {
    for (SamplerAlgorithm algorithm : values()) {
      if (algorithm.names.contains(name)) return algorithm;
    }
    throw new IllegalArgumentException(
        "unknown sampler '" + name + "' (" + String.join(", ", allNames()) + ")");
  }

  /** Every accepted name, in registry order. */
  public static List<String> allNames() {
    return Arrays.stream(values()).flatMap(a -> a.names.stream()).toList();
  }
}
