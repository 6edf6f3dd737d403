package dev.reelfarm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelfarm.schema.api.RenderMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EvalSettingsTest {

  private static EvalSettings settings(long seed, int repeats) {
    return new EvalSettings(
        null,
        null,
        2,
        null,
        null,
        RenderMode.SEQUENTIAL,
        null,
        seed,
        repeats,
        null,
        Path.of("out"),
        60);
  }

  @Test
  void repeatsStartAHundredApartUpToAHundredPrompts() {
    assertThat(settings(1, 3).seedBases(30)).containsExactly(1L, 101L, 201L);
    assertThat(settings(1, 3).seedBases(100)).containsExactly(1L, 101L, 201L);
    assertThat(settings(7, 1).seedBases(48)).containsExactly(7L);
  }

  @Test
  void moreThanAHundredPromptsSpaceTheBasesByTheNextHundred() {
    // 101..200 prompts: 200 apart, so repeat 0's seeds 1..150 never reach repeat 1's.
    assertThat(settings(1, 2).seedBases(150)).containsExactly(1L, 201L);
  }

  @Test
  void repeatsBelowOneAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> settings(1, 0))
        .isInstanceOf(EvalSetupException.class)
        .hasMessageContaining("--repeats");
  }
}
