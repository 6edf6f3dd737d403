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
    "dpmsolver++, DPM_SOLVER_PLUS_PLUS_2M"
  })
  void configuredNamesAndAliasesSelectTheirAlgorithm(String name, SamplerAlgorithm expected) {
    assertThat(SamplerAlgorithm.named(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(SamplerAlgorithm.class)
  void everyAlgorithmIsFoundByItsCanonicalNameAndBuildsItsOwnSampler(SamplerAlgorithm algorithm) {
    assertThat(SamplerAlgorithm.named(algorithm.canonicalName())).isEqualTo(algorithm);
    assertThat(algorithm.create(LATENT_DIFFUSION).plan(4).steps()).isEqualTo(4);
  }

  @Test
  void theFactoriesBuildTheNamedImplementations() {
    assertThat(SamplerAlgorithm.DDIM.create(LATENT_DIFFUSION)).isInstanceOf(DdimSampler.class);
    assertThat(SamplerAlgorithm.EULER.create(LATENT_DIFFUSION)).isInstanceOf(EulerSampler.class);
    assertThat(SamplerAlgorithm.DPM_SOLVER_PLUS_PLUS_2M.create(LATENT_DIFFUSION))
        .isInstanceOf(DpmSolverPlusPlus2MSampler.class);
  }

  @Test
  void anUnknownNameIsRefusedListingEveryKnownName() {
    assertThatThrownBy(() -> SamplerAlgorithm.named("heun"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown sampler 'heun' (ddim, euler, dpm++2m, dpmsolver++)");
  }
}
