package dev.reelfarm.worker.diffusion;

import static dev.reelfarm.worker.diffusion.SamplerFixtures.LATENT_DIFFUSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SamplerAlgorithmTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "ddim, DDIM",
    "euler, EULER",
    "dpm++2m, DPM_SOLVER_PLUS_PLUS_2M",
    "dpmsolver++, DPM_SOLVER_PLUS_PLUS_2M",
    "flow-euler, FLOW_MATCH_EULER",
    "flowmatch-euler, FLOW_MATCH_EULER"
  })
  void configuredNamesAndAliasesSelectTheirAlgorithm(String name, SamplerAlgorithm expected) {
    assertThat(SamplerAlgorithm.named(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void everyAlgorithmIsFoundByItsCanonicalNameAndBuildsItsOwnSampler(SamplerAlgorithm algorithm) {
    assertThat(SamplerAlgorithm.named(algorithm.canonicalName())).isEqualTo(algorithm);
    assertThat(algorithm.create(SamplerFixtures.configFor(algorithm)).plan(4).steps()).isEqualTo(4);
  }

  @Test
  void theFactoriesBuildTheNamedImplementations() {
    assertThat(SamplerAlgorithm.DDIM.create(LATENT_DIFFUSION)).isInstanceOf(DdimSampler.class);
    assertThat(SamplerAlgorithm.EULER.create(LATENT_DIFFUSION)).isInstanceOf(EulerSampler.class);
    assertThat(SamplerAlgorithm.DPM_SOLVER_PLUS_PLUS_2M.create(LATENT_DIFFUSION))
        .isInstanceOf(DpmSolverPlusPlus2MSampler.class);
    assertThat(SamplerAlgorithm.FLOW_MATCH_EULER.create(SamplerFixtures.FLOW_MATCHING))
        .isInstanceOf(FlowMatchEulerSampler.class);
  }

  @Test
  void aFlowMatchingModelGetsFlowEulerAndOnlyItAcceptsOne() {
    SchedulerConfig flow = SamplerFixtures.FLOW_MATCHING;

    assertThat(SamplerAlgorithm.defaultFor(flow)).isEqualTo(SamplerAlgorithm.FLOW_MATCH_EULER);
    assertThat(SamplerAlgorithm.defaultFor(LATENT_DIFFUSION)).isEqualTo(SamplerAlgorithm.DDIM);
    for (SamplerAlgorithm algorithm : SamplerAlgorithm.values()) {
      boolean flowEuler = algorithm == SamplerAlgorithm.FLOW_MATCH_EULER;
      assertThat(algorithm.accepts(flow)).as("%s", algorithm).isEqualTo(flowEuler);
      assertThat(algorithm.accepts(LATENT_DIFFUSION)).as("%s", algorithm).isEqualTo(!flowEuler);
    }
    assertThatThrownBy(() -> SamplerAlgorithm.DDIM.create(flow))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flow-euler");
    assertThatThrownBy(() -> SamplerAlgorithm.FLOW_MATCH_EULER.create(LATENT_DIFFUSION))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flow_prediction");
  }

  @Test
  void anUnknownNameIsRefusedListingEveryKnownName() {
    assertThatThrownBy(() -> SamplerAlgorithm.named("heun"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown sampler 'heun' (ddim, euler, dpm++2m, dpmsolver++, flow-euler,"
                + " flowmatch-euler)");
  }
}
